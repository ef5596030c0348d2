package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The action of an interactive {@code button} message: 1 to 3 buttons of {@code type} {@code reply}, each with an
 * {@code id} (at most 256 characters, no leading or trailing spaces) and a {@code title} (at most 20); ids and
 * titles unique within the message (Meta's rules).
 */
final class ReplyButtons {

    static final int MAX_BUTTONS = 3;
    static final int MAX_ID = 256;
    static final int MAX_TITLE = 20;

    private ReplyButtons() {}

    static ObjectNode action(ObjectNode action, String field) {
        Fields.only(action, field, Set.of("buttons"));
        ArrayNode buttons = Fields.array(action.get("buttons"), field + ".buttons", 1, MAX_BUTTONS);
        Set<String> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode outButtons = out.putArray("buttons");
        for (int i = 0; i < buttons.size(); i++) {
            String at = field + ".buttons[" + i + "]";
            ObjectNode button = Fields.object(buttons.get(i), at);
            Fields.only(button, at, Set.of("type", "reply"));
            Fields.exactly(button.get("type"), at + ".type", "reply");
            ObjectNode reply = Fields.object(button.get("reply"), at + ".reply");
            Fields.only(reply, at + ".reply", Set.of("id", "title"));
            String id = Fields.text(reply.get("id"), at + ".reply.id", MAX_ID);
            if (!id.equals(id.strip())) {
                throw ApiException.invalid(at + ".reply.id", at + ".reply.id must not start or end with spaces");
            }
            if (!ids.add(id)) {
                throw ApiException.invalid(at + ".reply.id", at + ".reply.id repeats another button's id");
            }
            String title = Fields.text(reply.get("title"), at + ".reply.title", MAX_TITLE);
            if (!titles.add(title)) {
                throw ApiException.invalid(at + ".reply.title", at + ".reply.title repeats another button's title");
            }
            ObjectNode outButton = outButtons.addObject();
            outButton.put("type", "reply");
            ObjectNode outReply = outButton.putObject("reply");
            outReply.put("id", id);
            outReply.put("title", title);
        }
        return out;
    }
}
