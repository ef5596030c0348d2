package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures mean "the database is down" (503 with Retry-After), found by the fault suite's scenario c. */
class DatabaseDownTest {

    @Test
    void noTransactionBecausePostgresRefusesConnectionsIsTheDatabaseBeingDown() {
        Exception refused = new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction",
                new SQLException("Connection to localhost:5432 refused", "08001", new ConnectException("refused")));

        assertThat(ErrorResponses.isDatabaseDown(refused)).isTrue();
    }

    @Test
    void aRollbackThatFailedOnAClosedConnectionIsTheDatabaseBeingDown() {
        Exception rollback = new TransactionSystemException(
                "JDBC rollback failed", new SQLException("Connection is closed", "08003"));

        assertThat(ErrorResponses.isDatabaseDown(rollback)).isTrue();
    }

    @Test
    void workThatFailedOnABrokenConnectionIsTheDatabaseBeingDownEvenWhenItsRollbackSaysNoMoreThanClosed() {
        // what Hikari throws on a rollback over a connection it marked broken carries no SQL state
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new org.springframework.dao.DataAccessResourceFailureException(
                "I/O error", new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        assertThat(ErrorResponses.isDatabaseDown(rollback)).isTrue();
    }

    @Test
    void aPoolThatTimedOutAndAServerShuttingDownAreTheDatabaseBeingDown() {
        assertThat(ErrorResponses.isDatabaseDown(new RuntimeException(new SQLTransientConnectionException("timeout"))))
                .isTrue();
        assertThat(ErrorResponses.isDatabaseDown(
                        new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
    }

    @Test
    void aConstraintViolationIsNot() {
        Exception violation = new DataIntegrityViolationException(
                "duplicate key", new SQLException("duplicate key value violates unique constraint", "23505"));

        assertThat(ErrorResponses.isDatabaseDown(violation)).isFalse();
        assertThat(ErrorResponses.isDatabaseDown(new IllegalStateException("bug")))
                .isFalse();
    }
}
