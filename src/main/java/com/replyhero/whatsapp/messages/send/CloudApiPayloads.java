package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.messages.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The Cloud API's {@code /messages} body for a stored message. */
public final class CloudApiPayloads {

    private CloudApiPayloads() {}

    /**
     * Every message carries our id in {@code biz_opaque_callback_data}: Meta echoes it in the message's
     * status webhooks, which is how a send whose answer was lost is matched to its outcome. A reply carries
     * {@code context.message_id}, the wamid of the message it answers.
     */
    public static ObjectNode forMessage(Message message, String to) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("messaging_product", "whatsapp");
        payload.put("recipient_type", "individual");
        payload.put("to", to);
        JsonNode replyTo = message.content().path("context");
        if (replyTo.hasNonNull("wamid")) {
            payload.putObject("context").put("message_id", replyTo.get("wamid").asString());
        }
        payload.put("type", message.kind());
        JsonNode content = message.content().path(message.kind());
        switch (message.kind()) {
            case "text" -> {
                ObjectNode text = payload.putObject("text");
                text.put("preview_url", content.path("previewUrl").asBoolean(false));
                text.put("body", content.path("body").asString());
            }
            case "image", "document", "video", "audio", "sticker" -> {
                // by id once the gateway has uploaded the bytes (file, provider link); else Meta fetches the link
                ObjectNode media = payload.putObject(message.kind());
                if (content.hasNonNull("id")) {
                    media.put("id", content.get("id").asString());
                } else {
                    media.put("link", content.path("link").asString());
                }
                // never stored for audio and stickers (Meta refuses a caption there)
                for (String field : new String[] {"caption", "filename"}) {
                    if (content.hasNonNull(field)) {
                        media.put(field, content.get(field).asString());
                    }
                }
            }
            // stored as Meta takes them: checked and rebuilt field by field when the send was validated
            case "location", "contacts", "interactive", "template" -> payload.set(message.kind(), content.deepCopy());
            case "reaction" -> {
                ObjectNode reaction = payload.putObject("reaction");
                reaction.put("message_id", content.path("message_id").asString());
                reaction.put("emoji", content.path("emoji").asString());
            }
            default -> throw new IllegalStateException("no Cloud API payload for a message of kind " + message.kind());
        }
        payload.put("biz_opaque_callback_data", message.id());
        return payload;
    }
}
