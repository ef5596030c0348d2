package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/**
 * What every fault scenario shares: its size ({@code -Dfaults.full=true} for the suite's full version, else
 * the short one that {@code ./mvnw verify} runs), its processes, and the settling of outcomes at the end.
 */
abstract class Scenario {

    static final boolean FULL = Boolean.getBoolean("faults.full");

    /** Scenarios that run only in the fault suite ({@code bash faults/run.sh}), not in {@code ./mvnw verify}. */
    static final boolean SUITE = FULL || Boolean.getBoolean("faults.suite");

    protected FaultRig rig;
    protected final Instant began = Instant.now();

    @AfterEach
    void stopProcesses() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    static int size(int shortVersion, int fullVersion) {
        return FULL ? fullVersion : shortVersion;
    }

    long seconds() {
        return Duration.between(began, Instant.now()).toSeconds();
    }

    /** What did not happen in time: noted on the scenario's row, which is reported before the scenario fails. */
    protected final java.util.List<String> problems = new java.util.ArrayList<>();

    /** Waits like {@link FaultRig#await}; a timeout is noted (see {@link #problems}) instead of thrown. */
    void awaitOrNote(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        try {
            FaultRig.await(condition, timeout, what);
        } catch (AssertionError | RuntimeException e) {
            problems.add(e.getMessage());
        }
    }

    String notes(String notes) {
        return problems.isEmpty() ? notes : "NOT IN TIME: " + problems + "; " + notes;
    }

    /** Waits until no message of the orgs is queued, sending or unknown any more (a timeout is noted). */
    void settle(Duration timeout, FaultRig.Org... orgs) throws InterruptedException {
        awaitOrNote(
                () -> {
                    try {
                        return rig.unsettled(orgs) == 0;
                    } catch (java.sql.SQLException e) {
                        return false;
                    }
                },
                timeout,
                "every message settled");
    }

    void assertPasses(Accounting accounting) {
        assertThat(problems).as("not in time").isEmpty();
        assertThat(accounting.lost()).as("lost: " + accounting).isZero();
        assertThat(accounting.duplicated()).as("duplicated: " + accounting).isZero();
    }
}
