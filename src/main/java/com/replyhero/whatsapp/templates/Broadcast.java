package com.replyhero.whatsapp.templates;

import java.time.Instant;

/**
 * A template sent to many customers of an org: one message per recipient, sent from a paced queue. {@code status}:
 * {@code scheduled} (until {@code sendAt}), {@code running}, {@code paused} ({@code pausedReason}: by the org, or why
 * the gateway paused it), {@code completed} or {@code cancelled}.
 */
record Broadcast(
        String orgId,
        String id,
        String channelId,
        String templateName,
        String language,
        String userId,
        String sessionId,
        int total,
        String status,
        byte[] requestHash,
        Instant createdAt,
        Instant finishedAt,
        Instant sendAt,
        String pausedReason) {

    boolean completed() {
        return status.equals("completed");
    }

    /** Whether it sends nothing more: completed, or cancelled. */
    boolean ended() {
        return status.equals("completed") || status.equals("cancelled");
    }
}
