package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.SandboxState;
import com.replyhero.whatsapp.sandbox.graph.SandboxTemplates;
import java.util.Locale;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A customer's tap on a message the sandbox accepted, as Meta reports it: on a template's quick-reply button a
 * {@code button} message ({@code payload}: the one the send gave the button, else its text, as Meta does), on an
 * interactive reply button an {@code interactive} {@code button_reply}, on a list row a {@code list_reply}; each
 * with the {@code context} of the message tapped ({@code from}: the business number, {@code id}: its wamid).
 * The tap is {@code {"messageId": our id or the wamid, "index" | "buttonId" | "rowId": ...}}.
 */
@Component
@Conditional(SandboxEnabled.class)
class SandboxTaps {

    private final SandboxState state;
    private final SandboxTemplates templates;
    private final SandboxAccount account;
    private final JsonMapper json;

    SandboxTaps(SandboxState state, SandboxTemplates templates, SandboxAccount account, JsonMapper json) {
        this.state = state;
        this.templates = templates;
        this.account = account;
        this.json = json;
    }

    /** The message the tap was on: the business number it came from, and what the customer sends. */
    record Tapped(String phoneNumberId, ObjectNode request) {}

    /**
     * The write-in request a tap of {@code phone} amounts to ({@code type}, the kind's object, {@code context});
     * 404 when the sandbox did not send that message (to this customer), 400 when it has no such button or row.
     */
    Tapped tap(String phone, JsonNode tap) {
        if (!tap.isObject()) {
            throw SandboxException.invalid(
                    "tap", "tap must be an object: {\"messageId\", \"index\" | \"buttonId\" | \"rowId\"}");
        }
        String messageId = tap.path("messageId").asString("");
        if (messageId.isBlank()) {
            throw SandboxException.missing("tap.messageId");
        }
        SandboxState.Accepted sent = state.find(messageId)
                .filter(m -> m.to().equals(phone))
                .orElseThrow(() -> new SandboxException(
                        HttpStatus.NOT_FOUND,
                        "not_found",
                        "the sandbox sent no message " + messageId + " to " + phone + " (among its latest ones)",
                        "tap.messageId"));
        ObjectNode request = json.createObjectNode();
        ObjectNode context = request.putObject("context");
        context.put("from", account.displayPhoneNumber());
        context.put("id", sent.wamid());
        JsonNode body = sent.body();
        switch (sent.type()) {
            case "template" -> templateButton(body.path("template"), tap, request);
            case "interactive" -> interactiveReply(body.path("interactive"), tap, request);
            default ->
                throw SandboxException.invalid(
                        "tap.messageId",
                        "message " + messageId + " is a " + sent.type() + " message: it has no buttons");
        }
        return new Tapped(sent.phoneNumberId(), request);
    }

    private void templateButton(JsonNode sent, JsonNode tap, ObjectNode request) {
        JsonNode definition = templates
                .definition(
                        sent.path("name").asString(""),
                        sent.path("language").path("code").asString(""))
                .orElseThrow(() -> SandboxException.invalid("tap.messageId", "the template is no longer known"));
        JsonNode buttons = json.createArrayNode();
        for (JsonNode component : definition.path("components")) {
            if (component.path("type").asString("").equalsIgnoreCase("BUTTONS")) {
                buttons = component.path("buttons");
            }
        }
        if (!tap.path("index").canConvertToInt()) {
            throw SandboxException.invalid("tap.index", "a template's button is tapped by its index");
        }
        int index = tap.path("index").asInt();
        if (index < 0
                || index >= buttons.size()
                || !buttons.get(index).path("type").asString("").equalsIgnoreCase("QUICK_REPLY")) {
            throw SandboxException.invalid(
                    "tap.index",
                    "template " + sent.path("name").asString() + " has no quick-reply button at index " + index);
        }
        String text = buttons.get(index).path("text").asString("");
        String payload = text;
        for (JsonNode component : sent.path("components")) {
            if (component.path("type").asString("").equals("button")
                    && component.path("index").asString("").equals(Integer.toString(index))) {
                payload = component.path("parameters").path(0).path("payload").asString(text);
            }
        }
        request.put("type", "button");
        request.putObject("button").put("payload", payload).put("text", text);
    }

    private void interactiveReply(JsonNode sent, JsonNode tap, ObjectNode request) {
        String type = sent.path("type").asString("");
        request.put("type", "interactive");
        ObjectNode interactive = request.putObject("interactive");
        if (type.equals("button")) {
            JsonNode buttons = sent.path("action").path("buttons");
            JsonNode chosen = null;
            for (int i = 0; i < buttons.size(); i++) {
                JsonNode reply = buttons.get(i).path("reply");
                boolean byIndex =
                        tap.path("index").canConvertToInt() && tap.path("index").asInt() == i;
                if (byIndex
                        || reply.path("id")
                                .asString("")
                                .equals(tap.path("buttonId").asString(null))) {
                    chosen = reply;
                }
            }
            if (chosen == null) {
                throw SandboxException.invalid(
                        tap.has("buttonId") ? "tap.buttonId" : "tap.index",
                        "the message has no reply button "
                                + (tap.has("buttonId") ? tap.path("buttonId") : tap.path("index")));
            }
            interactive.put("type", "button_reply");
            interactive
                    .putObject("button_reply")
                    .put("id", chosen.path("id").asString())
                    .put("title", chosen.path("title").asString());
            return;
        }
        if (type.equals("list")) {
            String rowId = tap.path("rowId").asString("");
            for (JsonNode section : sent.path("action").path("sections")) {
                for (JsonNode row : section.path("rows")) {
                    if (row.path("id").asString("").equals(rowId)) {
                        ObjectNode reply = interactive.put("type", "list_reply").putObject("list_reply");
                        reply.put("id", rowId).put("title", row.path("title").asString());
                        if (row.has("description")) {
                            reply.put("description", row.path("description").asString());
                        }
                        return;
                    }
                }
            }
            throw SandboxException.invalid("tap.rowId", "the list message has no row with id " + rowId);
        }
        throw SandboxException.invalid(
                "tap.messageId",
                "an interactive " + type.toLowerCase(Locale.ROOT) + " message has no reply buttons or rows to tap");
    }
}
