package com.replyhero.whatsapp.templates;

import java.time.Instant;

/** A template sent to many customers of an org: one message per recipient, sent from a paced queue. */
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
        Instant finishedAt) {

    boolean completed() {
        return status.equals("completed");
    }
}
