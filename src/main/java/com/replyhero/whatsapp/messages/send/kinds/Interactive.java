package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An {@code interactive} message as Meta takes it: {@code type} {@code button} (reply buttons), {@code list},
 * {@code cta_url} or {@code location_request_message}; {@code body.text} (at most 1,024 characters); for the first
 * three an optional text {@code header} and {@code footer} (60 each); and the type's {@code action}.
 */
public final class Interactive {

    static final String FIELD = "message.interactive";
    static final int MAX_BODY = 1024;
    static final int MAX_HEADER = 60;
    static final int MAX_FOOTER = 60;

    private static final Set<String> TYPES = Set.of("button", "list", "cta_url", "location_request_message");
    private static final Set<String> WITH_HEADER = Set.of("type", "header", "body", "footer", "action");
    private static final Set<String> BODY_ONLY = Set.of("type", "body", "action");

    private Interactive() {}

    /** The checked object, in Meta's shape; 400 naming the field otherwise. */
    public static ObjectNode of(JsonNode value) {
        ObjectNode in = Fields.object(value, FIELD);
        String type = Fields.text(in.get("type"), FIELD + ".type", 64);
        if (!TYPES.contains(type)) {
            throw ApiException.invalid(
                    FIELD + ".type", FIELD + ".type must be one of button, list, cta_url, location_request_message");
        }
        boolean locationRequest = type.equals("location_request_message");
        Fields.only(in, FIELD, locationRequest ? BODY_ONLY : WITH_HEADER);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", type);
        if (!Fields.absent(in.get("header"))) {
            out.set("header", header(in.get("header")));
        }
        out.set("body", text(in.get("body"), FIELD + ".body", MAX_BODY));
        if (!Fields.absent(in.get("footer"))) {
            out.set("footer", text(in.get("footer"), FIELD + ".footer", MAX_FOOTER));
        }
        ObjectNode action = Fields.object(in.get("action"), FIELD + ".action");
        out.set(
                "action",
                switch (type) {
                    case "button" -> ReplyButtons.action(action, FIELD + ".action");
                    case "list" -> ListSections.action(action, FIELD + ".action");
                    case "cta_url" -> CtaUrl.action(action, FIELD + ".action");
                    default -> locationRequest(action, FIELD + ".action");
                });
        return out;
    }

    /** A text header: Meta's list messages take no other, and media headers are not offered here. */
    private static ObjectNode header(JsonNode value) {
        String field = FIELD + ".header";
        ObjectNode in = Fields.object(value, field);
        Fields.only(in, field, Set.of("type", "text"));
        Fields.exactly(in.get("type"), field + ".type", "text");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", "text");
        out.put("text", Fields.text(in.get("text"), field + ".text", MAX_HEADER));
        return out;
    }

    /** {@code {"text": "..."}}: the body and the footer. */
    private static ObjectNode text(JsonNode value, String field, int max) {
        ObjectNode in = Fields.object(value, field);
        Fields.only(in, field, Set.of("text"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("text", Fields.text(in.get("text"), field + ".text", max));
        return out;
    }

    private static ObjectNode locationRequest(ObjectNode action, String field) {
        Fields.only(action, field, Set.of("name"));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", Fields.exactly(action.get("name"), field + ".name", "send_location"));
        return out;
    }
}
