package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.messages.Message;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The Cloud API's {@code /messages} body for a stored message. */
public final class CloudApiPayloads {

    private static final Set<String> MEDIA = Set.of("image", "document", "video");

    private CloudApiPayloads() {}

    /**
     * Every message carries our id in {@code biz_opaque_callback_data}: Meta echoes it in the message's
     * status webhooks, which is how a send whose answer was lost is matched to its outcome.
     */
    public static ObjectNode forMessage(Message message, String to) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("messaging_product", "whatsapp");
        payload.put("recipient_type", "individual");
        payload.put("to", to);
        payload.put("type", message.kind());
        JsonNode content = message.content().path(message.kind());
        if (message.kind().equals("text")) {
            ObjectNode text = payload.putObject("text");
            text.put("preview_url", content.path("previewUrl").asBoolean(false));
            text.put("body", content.path("body").asString());
        } else if (MEDIA.contains(message.kind())) {
            // by id once the gateway has uploaded the bytes (file, provider link); else Meta fetches the link
            ObjectNode media = payload.putObject(message.kind());
            if (content.hasNonNull("id")) {
                media.put("id", content.get("id").asString());
            } else {
                media.put("link", content.path("link").asString());
            }
            for (String field : new String[] {"caption", "filename"}) {
                if (content.hasNonNull(field)) {
                    media.put(field, content.get(field).asString());
                }
            }
        } else {
            payload.set(message.kind(), content.deepCopy());
        }
        payload.put("biz_opaque_callback_data", message.id());
        return payload;
    }
}
