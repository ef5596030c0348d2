package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.media.SandboxMediaFiles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the Meta message object a simulated customer sends, for every inbound kind: {@code text} (a string,
 * or {@code {"body"}}); the media kinds {@code image}, {@code document}, {@code video}, {@code audio},
 * {@code sticker} (optional {@code data} in base64 and {@code mime_type}, else a small sample; the other fields,
 * such as {@code caption} or {@code filename}, are kept; {@code failDownloads}: how many downloads answer 500
 * first); and {@code location}, {@code contacts}, {@code interactive}, {@code button}, {@code reaction}, copied
 * as Meta's object. {@code context} (a reply) is copied too.
 */
@Component
@Conditional(SandboxEnabled.class)
class SandboxInboundMessages {

    static final Set<String> MEDIA = Set.of("image", "document", "video", "audio", "sticker");
    static final Set<String> COPIED = Set.of("location", "contacts", "interactive", "button", "reaction");

    private static final Map<String, String> SAMPLE_TYPES = Map.of(
            "image", "image/png",
            "document", "application/pdf",
            "video", "video/mp4",
            "audio", "audio/ogg",
            "sticker", "image/webp");

    private final SandboxMediaFiles media;
    private final JsonMapper json;

    SandboxInboundMessages(SandboxMediaFiles media, JsonMapper json) {
        this.media = media;
        this.json = json;
    }

    /** Meta's {@code messages[]} element for this request; a 400 naming the field when it is incomplete. */
    ObjectNode message(String from, String wamid, Instant at, JsonNode request) {
        String type = request.path("type").asString("text");
        ObjectNode message = json.createObjectNode();
        message.put("from", from);
        message.put("id", wamid);
        message.put("timestamp", Long.toString(at.getEpochSecond()));
        message.put("type", type);
        if (request.path("context").isObject()) {
            message.set("context", request.get("context"));
        }
        JsonNode body = request.path(type);
        if (type.equals("text")) {
            String text = body.isObject() ? body.path("body").asString("") : body.asString("");
            if (text.isEmpty()) {
                throw SandboxException.missing("text");
            }
            message.putObject("text").put("body", text);
        } else if (MEDIA.contains(type)) {
            message.set(type, medium(type, body.isObject() ? (ObjectNode) body : json.createObjectNode()));
        } else if (COPIED.contains(type)) {
            requireShape(type, body);
            message.set(type, body);
        } else {
            throw SandboxException.invalid(
                    "type",
                    "type must be text, image, document, video, audio, sticker, location, contacts, interactive,"
                            + " button or reaction");
        }
        return message;
    }

    private ObjectNode medium(String type, ObjectNode request) {
        String mimeType = request.path("mime_type").asString(SAMPLE_TYPES.get(type));
        byte[] bytes;
        try {
            bytes = request.hasNonNull("data")
                    ? Base64.getDecoder().decode(request.get("data").asString())
                    : ("sandbox " + type + " " + Instant.now()).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SandboxException.invalid(type + ".data", type + ".data must be base64");
        }
        SandboxMediaFiles.MediaFile file =
                media.add(bytes, mimeType, request.path("failDownloads").asInt(0));
        ObjectNode medium = request.deepCopy();
        medium.remove("data");
        medium.remove("failDownloads");
        medium.put("mime_type", mimeType);
        medium.put("sha256", Base64.getEncoder().encodeToString(file.sha256()));
        medium.put("id", file.id());
        if (type.equals("document") && !medium.has("filename")) {
            medium.put("filename", "document.pdf");
        }
        return medium;
    }

    private static void requireShape(String type, JsonNode body) {
        boolean ok = switch (type) {
            case "location" ->
                body.path("latitude").isNumber() && body.path("longitude").isNumber();
            case "contacts" -> body.isArray() && !body.isEmpty();
            case "interactive" ->
                body.path("type").isString()
                        && body.path(body.path("type").asString()).isObject();
            case "button" -> body.path("text").isString();
            case "reaction" -> body.path("message_id").isString();
            default -> false;
        };
        if (!ok) {
            throw SandboxException.invalid(
                    type,
                    switch (type) {
                        case "location" -> "location needs numeric latitude and longitude";
                        case "contacts" -> "contacts must be a non-empty array of Meta contact objects";
                        case "interactive" -> "interactive needs a type and its object, e.g. button_reply";
                        case "button" -> "button needs text (and payload)";
                        default -> "reaction needs message_id (and emoji; empty removes it)";
                    });
        }
    }
}
