package com.replyhero.whatsapp.database;

import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes committed without waiting for PostgreSQL to flush them to disk ({@code synchronous_commit = off} for their
 * transaction only). Such a commit is visible at once and reaches the disk within three times {@code wal_writer_delay} (600 ms by default);
 * only a crash of the database server itself (not of the gateway) in that time loses it, and never half of it. For
 * writes whose loss the gateway repairs by the same path as a crash just before them: a send's outcome (the message
 * stays {@code sending} under its lease and Meta's status settles it, see docs/api.md "What a send does"), a rate
 * limit's count. Never for the durable mark before a call, nor for anything acknowledged to Meta.
 */
@Component
public class AsyncCommit {

    private final JdbcClient db;
    private final TransactionTemplate transaction;

    AsyncCommit(JdbcClient db, TransactionTemplate transaction) {
        this.db = db;
        this.transaction = transaction;
    }

    /**
     * Runs {@code work} in a transaction of its own that commits without waiting for the disk. Called outside any
     * transaction: inside one it would join it, and relax that transaction's commit too.
     */
    public <T> T run(Supplier<T> work) {
        return transaction.execute(tx -> {
            db.sql("SET LOCAL synchronous_commit = off").update();
            return work.get();
        });
    }
}
