package com.replyhero.whatsapp.templates;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The attempts this node makes on the recipients of an org's broadcasts, as a signal: a synchronous template send
 * waits on it for its recipients' outcomes instead of polling the database. The database stays the truth: a
 * waiter reads it when the signal says enough happened (or, for recipients another node sends, after a while).
 * The {@link BroadcastDispatcher}'s.
 */
class BroadcastAttempts {

    private final ConcurrentHashMap<String, Set<Watch>> watches = new ConcurrentHashMap<>();

    /** This node attempted (or gave back) one recipient of one of the org's broadcasts. */
    void attempted(String orgId) {
        Set<Watch> watching = watches.get(orgId);
        if (watching != null) {
            watching.forEach(Watch::note);
        }
    }

    /** Starts counting the org's attempts on this node, until closed. */
    Watch watch(String orgId) {
        Watch watch = new Watch(orgId);
        watches.computeIfAbsent(orgId, id -> new CopyOnWriteArraySet<>()).add(watch);
        return watch;
    }

    /** The attempts of one org counted for one waiter. */
    final class Watch implements AutoCloseable {

        private final String orgId;
        private int noted;

        private Watch(String orgId) {
            this.orgId = orgId;
        }

        private synchronized void note() {
            noted++;
            notifyAll();
        }

        /**
         * Waits until this node noted {@code attempts} attempts of the org since the last wait (those made
         * meanwhile count), or {@code timeout} passed.
         */
        synchronized void await(int attempts, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while (noted < attempts && (left = deadline - System.nanoTime()) > 0) {
                wait(Math.max(1, left / 1_000_000));
            }
            noted = 0;
        }

        @Override
        public void close() {
            watches.computeIfPresent(orgId, (id, watching) -> {
                watching.remove(this);
                return watching.isEmpty() ? null : watching;
            });
        }
    }
}
