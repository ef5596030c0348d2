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

    private final int threshold;
    private final Map<String, Deque<Integer>> outcomes = new ConcurrentHashMap<>();

    /** {@code threshold}: refusals of one code among the last {@value #WINDOW} outcomes; 0 never pauses. */
    RefusalStorms(int threshold) {
        this.threshold = threshold;
    }

    /**
     * One outcome of the broadcast's: {@code refusalCode} Meta's error code when Meta refused the recipient for good,
     * null when it accepted it. Answers why to pause, when this outcome made a storm.
     */
    Optional<String> record(String orgId, String broadcastId, Integer refusalCode) {
        if (threshold <= 0) {
            return Optional.empty();
        }
        Deque<Integer> window = outcomes.computeIfAbsent(orgId + "/" + broadcastId, k -> new ArrayDeque<>());
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
}
