package com.replyhero.whatsapp.messages.send;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * The seed's send request: {@code message} (its {@code type} and the object of that type), the session,
 * customer, user and org ids, and optionally {@code "messageType": "assistant"} for bot replies and
 * {@code channelId}, the org's number to send from (by default its default channel), or {@code from}, that number's
 * phone number id.
 */
public record SendMessageRequest(
        MessageContent message,
        String sessionId,
        String customerId,
        String userId,
        String orgId,
        String messageType,
        @JsonInclude(JsonInclude.Include.NON_NULL) String channelId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String from) {

    /** The same request sending from the channel {@code channelId} (what {@code from} named). */
    SendMessageRequest fromChannel(String channelId) {
        return new SendMessageRequest(message, sessionId, customerId, userId, orgId, messageType, channelId, from);
    }

    /**
     * The {@code message} object: {@code type} and one object named after it ({@code audio} and {@code sticker} as
     * the seed's media objects; Meta's own object and field names for {@code location}, {@code contacts},
     * {@code interactive} and {@code reaction}); optionally
     * {@code context.messageId}, the message this one answers. The later fields are left out of the request's
     * Idempotency-Key hash when absent, so that a request hashes as it did before they existed.
     */
    public record MessageContent(
            String type,
            Text text,
            JsonNode image,
            JsonNode document,
            JsonNode video,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode location,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode contacts,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode interactive,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode reaction,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode context,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode audio,
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode sticker) {}

    public record Text(String body, Boolean previewUrl) {}
}
