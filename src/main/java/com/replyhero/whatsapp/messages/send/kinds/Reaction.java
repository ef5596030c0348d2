package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code reaction} as Meta takes it: {@code message_id}, the message reacted to (our message id or its wamid:
 * the sender resolves it to the wamid Meta needs), and {@code emoji}: one emoji, or the empty
 * string to remove the reaction.
 */
public final class Reaction {

    static final String FIELD = "message.reaction";
    public static final String MESSAGE_ID = FIELD + ".message_id";
    static final int MAX_REFERENCE = 256;

    private Reaction() {}

    /** The checked object with {@code message_id} as the caller gave it; 400 naming the field otherwise. */
    public static ObjectNode of(JsonNode value) {
        ObjectNode in = Fields.object(value, FIELD);
        Fields.only(in, FIELD, Set.of("message_id", "emoji"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("message_id", Fields.text(in.get("message_id"), MESSAGE_ID, MAX_REFERENCE));
        out.put("emoji", emoji(in.get("emoji"), FIELD + ".emoji"));
        return out;
    }

    /** One emoji (a single grapheme: a flag, a skin tone, a ZWJ family), or empty. */
    static String emoji(JsonNode value, String field) {
        String emoji = Fields.string(value, field, 32);
        if (emoji.isEmpty()) {
            return emoji;
        }
        boolean pictographic = emoji.codePoints()
                .anyMatch(c -> Character.getType(c) == Character.OTHER_SYMBOL || c == 0x20E3); // 0x20E3: keycap
        if (!emoji.matches("\\X") || !pictographic) {
            throw ApiException.invalid(field, field + " must be one emoji, or empty to remove the reaction");
        }
        return emoji;
    }
}
