package com.replyhero.whatsapp.messages.send;

import tools.jackson.databind.JsonNode;

/**
 * The seed's send request: {@code message} (its {@code type} and the object of that type), the session,
 * customer, user and org ids, and optionally {@code "messageType": "assistant"} for bot replies.
 */
public record SendMessageRequest(
        MessageContent message, String sessionId, String customerId, String userId, String orgId, String messageType) {

    /** The {@code message} object: {@code type} and one object named after it. */
    public record MessageContent(String type, Text text, JsonNode image, JsonNode document, JsonNode video) {}

    public record Text(String body, Boolean previewUrl) {}
}
