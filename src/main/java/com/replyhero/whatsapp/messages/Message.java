package com.replyhero.whatsapp.messages;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A stored message, outbound or inbound, with its delivery state. {@code senderStopped}: an {@code unknown} whose
 * sender stopped mid-send (its request may not have left), sent again when Meta sends no status for it.
 * {@code leaseUntil}: the lease of whoever works the message now (null when nobody does); a sender's own lease is
 * how it tells, later, that the message is still its own. {@code channelId}: the org's number it went out from or came
 * in on; null for messages stored before channels had ids (the org's default channel, see V20). {@code markedReadAt}:
 * for a customer's message, when the gateway told Meta it was read (null until then). {@code broadcastId}: the
 * broadcast it is a recipient of, if any.
 */
public record Message(
        String orgId,
        String id,
        String customerId,
        String userId,
        String sessionId,
        String messageType,
        String kind,
        JsonNode content,
        MessageStatus status,
        String wamid,
        JsonNode response,
        String errorCode,
        String errorMessage,
        Integer upstreamCode,
        byte[] requestHash,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        boolean senderStopped,
        Instant leaseUntil,
        String channelId,
        Instant markedReadAt,
        String broadcastId) {}
