package com.replyhero.whatsapp.sandbox.graph;

import java.util.HashSet;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's checks of the non-media kinds, written from Meta's documented limits (not from the gateway's
 * code, so that one checks the other): location, contacts, the four interactive types, reaction, and a reply's
 * {@code context}. A bad one gets Meta's answer: 131008 for a missing parameter, 131009 for a value that breaks a
 * rule.
 */
final class SandboxMessageKinds {

    /** Why a message is refused: Meta's code and the details Meta gives. */
    private static final class Refused extends RuntimeException {
        final boolean missing;

        Refused(boolean missing, String details) {
            super(details, null, false, false);
            this.missing = missing;
        }
    }

    private SandboxMessageKinds() {}

    /** Null when the message may go, else Meta's error answer. */
    static ResponseEntity<ObjectNode> check(String type, JsonNode request) {
        try {
            if (request.has("context")) {
                text(request.path("context").path("message_id"), "context.message_id", 256);
            }
            JsonNode object = request.path(type);
            switch (type) {
                case "location" -> location(object);
                case "contacts" -> contacts(object);
                case "interactive" -> interactive(object);
                case "reaction" -> reaction(object);
                default -> {
                    // the other kinds are checked by the controller
                }
            }
            return null;
        } catch (Refused refused) {
            return refused.missing
                    ? GraphErrors.missingParameter(refused.getMessage())
                    : GraphErrors.invalidValue(refused.getMessage());
        }
    }

    private static void location(JsonNode location) {
        degrees(location.path("latitude"), "location.latitude", 90);
        degrees(location.path("longitude"), "location.longitude", 180);
    }

    private static void degrees(JsonNode value, String name, double bound) {
        if (value.isMissingNode() || value.isNull()) {
            throw new Refused(true, name + " is required");
        }
        double degrees;
        try {
            degrees = value.isNumber() ? value.doubleValue() : Double.parseDouble(value.asString(""));
        } catch (NumberFormatException e) {
            throw new Refused(false, name + " must be a number");
        }
        if (!(degrees >= -bound && degrees <= bound)) {
            throw new Refused(false, name + " must be between -" + (int) bound + " and " + (int) bound);
        }
    }

    private static void contacts(JsonNode contacts) {
        count(contacts, "contacts", 1, 257);
        for (JsonNode contact : contacts) {
            text(contact.path("name").path("formatted_name"), "contacts.name.formatted_name", 10_000);
        }
    }

    private static void interactive(JsonNode interactive) {
        String type = interactive.path("type").asString("");
        if (!Set.of("button", "list", "cta_url", "location_request_message").contains(type)) {
            throw new Refused(false, "interactive.type " + type + " is not supported");
        }
        text(interactive.path("body").path("text"), "interactive.body.text", 1024);
        if (interactive.has("footer")) {
            text(interactive.path("footer").path("text"), "interactive.footer.text", 60);
        }
        if (interactive.path("header").path("type").asString("").equals("text")) {
            text(interactive.path("header").path("text"), "interactive.header.text", 60);
        }
        JsonNode action = interactive.path("action");
        switch (type) {
            case "button" -> buttons(action);
            case "list" -> list(action);
            case "cta_url" -> {
                name(action, "cta_url");
                text(action.path("parameters").path("display_text"), "action.parameters.display_text", 20);
                String url = text(action.path("parameters").path("url"), "action.parameters.url", 2000);
                if (!url.matches("(?i)https?://\\S+")) {
                    throw new Refused(false, "action.parameters.url must be an http or https URL");
                }
            }
            default -> name(action, "send_location");
        }
    }

    private static void buttons(JsonNode action) {
        count(action.path("buttons"), "action.buttons", 1, 3);
        Set<String> ids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode button : action.path("buttons")) {
            if (!button.path("type").asString("").equals("reply")) {
                throw new Refused(false, "action.buttons.type must be reply");
            }
            if (!ids.add(text(button.path("reply").path("id"), "action.buttons.reply.id", 256))) {
                throw new Refused(false, "action.buttons.reply.id must be unique");
            }
            if (!titles.add(text(button.path("reply").path("title"), "action.buttons.reply.title", 20))) {
                throw new Refused(false, "action.buttons.reply.title must be unique");
            }
        }
    }

    private static void list(JsonNode action) {
        text(action.path("button"), "action.button", 20);
        JsonNode sections = action.path("sections");
        count(sections, "action.sections", 1, 10);
        Set<String> ids = new HashSet<>();
        int rows = 0;
        for (JsonNode section : sections) {
            if (sections.size() > 1 || section.has("title")) {
                text(section.path("title"), "action.sections.title", 24);
            }
            count(section.path("rows"), "action.sections.rows", 1, 10);
            for (JsonNode row : section.path("rows")) {
                rows++;
                if (!ids.add(text(row.path("id"), "action.sections.rows.id", 200))) {
                    throw new Refused(false, "action.sections.rows.id must be unique");
                }
                text(row.path("title"), "action.sections.rows.title", 24);
                if (row.has("description")) {
                    text(row.path("description"), "action.sections.rows.description", 72);
                }
            }
        }
        if (rows > 10) {
            throw new Refused(false, "a list message may have at most 10 rows");
        }
    }

    private static void reaction(JsonNode reaction) {
        text(reaction.path("message_id"), "reaction.message_id", 256);
        if (!reaction.path("emoji").isString()) {
            throw new Refused(true, "reaction.emoji is required (empty to remove the reaction)");
        }
    }

    private static void name(JsonNode action, String expected) {
        if (!action.path("name").asString("").equals(expected)) {
            throw new Refused(action.path("name").isMissingNode(), "action.name must be " + expected);
        }
    }

    private static void count(JsonNode array, String name, int min, int max) {
        if (!array.isArray()) {
            throw new Refused(true, name + " is required");
        }
        if (array.size() < min || array.size() > max) {
            throw new Refused(false, name + " must have " + min + " to " + max + " items");
        }
    }

    private static String text(JsonNode value, String name, int max) {
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new Refused(true, name + " is required");
        }
        String text = value.stringValue();
        if (text.codePointCount(0, text.length()) > max) {
            throw new Refused(false, name + " must be at most " + max + " characters");
        }
        return text;
    }
}
