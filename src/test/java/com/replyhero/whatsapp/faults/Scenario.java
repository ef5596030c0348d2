package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
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

    /** How long the work of a scenario may stand still before the scenario gives up on it (a restart included). */
    static final Duration STALL = Duration.ofSeconds(60);

    /**
     * Waits until {@code done}, bounded by progress rather than by the machine's speed: gives up (noted, see
     * {@link #problems}) when {@code progress} has not grown for {@link #STALL}, or after {@code cap} in all (a
     * guard against a crawl). Answers how long it waited.
     */
    Duration awaitProgress(BooleanSupplier done, LongSupplier progress, Duration cap, String what)
            throws InterruptedException {
        Instant start = Instant.now();
        long best = progress.getAsLong();
        Instant lastGain = start;
        while (!done.getAsBoolean()) {
            Instant now = Instant.now();
            long current = progress.getAsLong();
            if (current > best) {
                best = current;
                lastGain = now;
            }
            if (Duration.between(lastGain, now).compareTo(STALL) > 0) {
                problems.add(what + ": no progress for " + STALL.toSeconds() + " s (at " + best + ")");
                break;
            }
            if (Duration.between(start, now).compareTo(cap) > 0) {
                problems.add(what + ": not within " + cap.toSeconds() + " s (at " + best + ")");
                break;
            }
            Thread.sleep(200);
        }
        return Duration.between(start, Instant.now());
    }

    /**
     * Waits until the broadcast at {@code location} is {@code completed}. Its recipients go out at most at the
     * org's {@code rate} (pacing), so it cannot take less than {@code recipients / rate}; on a busy machine it
     * takes longer, which is no fault: it fails (noted) only when none of its recipients got an outcome for
     * {@link #STALL}, or after three times its time at that rate plus two minutes. Answers a note: how long
     * it took.
     */
    String awaitBroadcast(Supplier<Api> node, String location, FaultRig.Org org, int recipients, int rate)
            throws InterruptedException {
        Duration atRate = Duration.ofMillis(1000L * recipients / rate);
        Duration took = awaitProgress(
                () -> {
                    try {
                        return node.get()
                                .get(location, org.keyHeader())
                                .json()
                                .get("status")
                                .asString()
                                .equals("completed");
                    } catch (RuntimeException e) {
                        return false; // a node restarting
                    }
                },
                () -> {
                    try {
                        return rig.settled(org);
                    } catch (SQLException e) {
                        return -1;
                    }
                },
                atRate.multipliedBy(3).plusMinutes(2),
                "broadcast of " + recipients + " at " + rate + "/s completed");
        return "broadcast completed " + took.toSeconds() + " s after the wait began (" + atRate.toSeconds() + " s at "
                + rate + "/s)";
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
