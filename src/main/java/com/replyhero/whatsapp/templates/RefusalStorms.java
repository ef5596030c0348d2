package com.replyhero.whatsapp.templates;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches each broadcast's latest outcomes on this node: when {@code threshold} of its last {@value #WINDOW} are
 * refusals with the same Meta error code (131049 "healthy ecosystem" limits, 131026 undeliverable, a template Meta
 * stopped taking...), the broadcast is better paused than sent on into the storm: the quality rating of the number
 * suffers from each refusal. Answers the reason once per storm (the window starts over).
 */
class RefusalStorms {

    static final int WINDOW = 100;

    /** A broadcast with no outcome for this long is forgotten (it ended, was paused, or another node sends it). */
    static final java.time.Duration IDLE = java.time.Duration.ofMinutes(10);

    private final int threshold;
    private final Map<String, Outcomes> outcomes = new ConcurrentHashMap<>();

    /** The last outcomes of one broadcast, and when the last came (to forget it when it stops). */
    private static final class Outcomes {
        final Deque<Integer> codes = new ArrayDeque<>();
        volatile long lastAt = System.nanoTime();
    }

    private final long idleNanos;

    /**
     * {@code threshold}: refusals of one code among the last {@value #WINDOW} outcomes; 0 never pauses. {@code idle}:
     * how long a broadcast without an outcome is remembered.
     */
    RefusalStorms(int threshold, java.time.Duration idle) {
        this.threshold = threshold;
        this.idleNanos = idle.toNanos();
    }

    /**
     * One outcome of the broadcast's: {@code refusalCode} Meta's error code when Meta refused the recipient for good,
     * null when it accepted it. Answers why to pause, when this outcome made a storm.
     */
    Optional<String> record(String orgId, String broadcastId, Integer refusalCode) {
        if (threshold <= 0) {
            return Optional.empty();
        }
        Outcomes recent = outcomes.computeIfAbsent(orgId + "/" + broadcastId, k -> new Outcomes());
        recent.lastAt = System.nanoTime();
        Deque<Integer> window = recent.codes;
        synchronized (window) {
            window.addLast(refusalCode == null ? 0 : refusalCode);
            if (window.size() > WINDOW) {
                window.removeFirst();
            }
            if (refusalCode == null) {
                return Optional.empty();
            }
            Map<Integer, Integer> counts = new HashMap<>();
            window.forEach(code -> counts.merge(code, 1, Integer::sum));
            int same = counts.getOrDefault(refusalCode, 0);
            if (same < threshold) {
                return Optional.empty();
            }
            int seen = window.size();
            window.clear();
            return Optional.of("Meta refused " + same + " of the broadcast's last " + seen + " sends with error "
                    + refusalCode + "; resume it once the cause is fixed");
        }
    }

    /** Forgets a broadcast that ended or was paused. */
    void forget(String orgId, String broadcastId) {
        outcomes.remove(orgId + "/" + broadcastId);
    }

    /** Forgets the broadcasts that had no outcome for the idle time: the memory follows the broadcasts being sent. */
    void forgetIdle() {
        long now = System.nanoTime();
        outcomes.values().removeIf(o -> now - o.lastAt > idleNanos);
    }

    /** How many broadcasts are watched (for tests). */
    int watched() {
        return outcomes.size();
    }
}
