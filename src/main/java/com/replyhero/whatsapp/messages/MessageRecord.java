package com.replyhero.whatsapp.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The seed's message record: {@code customerId}, {@code id}, {@code messageType}, {@code orgId},
 * {@code response} (Meta's answer), {@code sessionId}, {@code timestamp} (RFC 1123 with a numeric offset,
 * in the org's time zone), {@code userId}; plus {@code message} and {@code file} (as in the seed's template
 * records), {@code status}, {@code kind}, {@code createdAt} (ISO-8601) and, once failed, {@code error}; for an
 * outbound location, contacts, interactive or reaction message, or a reply, {@code content}: the message object as
 * sent ({@code type}, the kind's object in Meta's shape, {@code context}); for a customer's message, Meta's message
 * object as received ({@code context.messageId}: our id of the message it answers, a tap's or a reply's);
 * {@code channelId}, the org's number it went out from or came in on (absent on messages stored before an org could
 * have several);
 * for a customer's message the gateway marked read, {@code markedReadAt}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MessageRecord(
        String customerId,
        String file,
        String id,
        String message,
        String messageType,
        String orgId,
        JsonNode response,
        String sessionId,
        String timestamp,
        String userId,
        String kind,
        MessageStatus status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String wamid,
        @JsonInclude(JsonInclude.Include.NON_NULL) Failure error,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode content,
        @JsonInclude(JsonInclude.Include.NON_NULL) String channelId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant markedReadAt) {

    /** Outbound kinds whose record shows what was sent: their text alone would not say it. */
    private static final Set<String> WITH_CONTENT = Set.of("location", "contacts", "interactive", "reaction");

    /** {@code Sun, 17 Mar 2024 00:45:25 +0800}: the seed's format. */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

    /** Why a message failed: our stable code, Meta's code when Meta gave one, and the text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String code, Integer upstreamCode, String message) {}

    public static MessageRecord of(Message m, ZoneId zone) {
        return new MessageRecord(
                m.customerId(),
                fileOf(m),
                m.id(),
                textOf(m),
                m.messageType(),
                m.orgId(),
                m.response(),
                m.sessionId(),
                TIMESTAMP.format(m.createdAt().atZone(zone)),
                m.userId(),
                m.kind(),
                m.status(),
                m.wamid(),
                m.errorCode() == null ? null : new Failure(m.errorCode(), m.upstreamCode(), m.errorMessage()),
                m.createdAt(),
                showsContent(m) ? m.content() : null,
                m.channelId(),
                m.markedReadAt());
    }

    private static boolean showsContent(Message m) {
        if (m.messageType().equals("user")) {
            return true; // Meta's object as received: a tap's ids and payload, a location, a medium's id
        }
        return WITH_CONTENT.contains(m.kind()) || m.content().has("context");
    }

    /**
     * The text of a text message, a media caption, a template's name, an interactive message's body (a customer's
     * tap: the title of the button or row), a template button's text as tapped, a location's name, the first
     * contact's name or a reaction's emoji.
     */
    private static String textOf(Message m) {
        JsonNode content = m.content();
        return switch (m.kind()) {
            case "text" -> content.path("text").path("body").asString(null);
            case "template" -> content.path("template").path("name").asString(null);
            case "interactive" -> {
                JsonNode interactive = content.path("interactive");
                String replyType = interactive.path("type").asString("");
                yield interactive.has("body")
                        ? interactive.path("body").path("text").asString(null)
                        : interactive.path(replyType).path("title").asString(null);
            }
            case "button" -> content.path("button").path("text").asString(null);
            case "location" -> content.path("location").path("name").asString(null);
            case "contacts" ->
                content.path("contacts")
                        .path(0)
                        .path("name")
                        .path("formatted_name")
                        .asString(null);
            case "reaction" -> content.path("reaction").path("emoji").asString(null);
            default -> content.path(m.kind()).path("caption").asString(null);
        };
    }

    /** The file name of a media message sent as bytes, when there is one. */
    private static String fileOf(Message m) {
        JsonNode file = m.content().path(m.kind()).path("file");
        return file.isObject() ? file.path("name").asString(null) : null;
    }
}
