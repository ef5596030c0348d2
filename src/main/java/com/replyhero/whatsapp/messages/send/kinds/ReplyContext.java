package com.replyhero.whatsapp.messages.send.kinds;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code message.context}: the message a send answers, {@code messageId} (our message id or its wamid), shown by
 * WhatsApp as a quoted reply. The sender resolves it to Meta's {@code context.message_id}.
 */
public final class ReplyContext {

    public static final String FIELD = "message.context";
    public static final String MESSAGE_ID = FIELD + ".messageId";

    private ReplyContext() {}

    /** {@code {"messageId": ...}} as the caller gave it; 400 naming the field otherwise. */
    public static ObjectNode of(JsonNode value) {
        ObjectNode in = Fields.object(value, FIELD);
        Fields.only(in, FIELD, Set.of("messageId"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("messageId", Fields.text(in.get("messageId"), MESSAGE_ID, Reaction.MAX_REFERENCE));
        return out;
    }
}
