package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The templates the sandbox knows, as a WABA on Meta would: {@code hello_world} (en_US) and those registered
 * through {@code POST /sandbox/templates}. A template message naming another template is refused with
 * Meta's 132001; a wrong parameter count with 132000.
 */
@Component
@Conditional(SandboxEnabled.class)
class SandboxTemplates {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final Map<String, ObjectNode> templates = new ConcurrentHashMap<>();
    private final JsonMapper json;

    SandboxTemplates(JsonMapper json) {
        this.json = json;
        register((ObjectNode) json.readTree("""
                {"name": "hello_world", "language": "en_US", "status": "APPROVED", "category": "UTILITY",
                 "components": [
                   {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
                   {"type": "BODY", "text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us."},
                   {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"}
                 ]}"""));
    }

    /** Registers (or replaces) a template given in Meta's definition; answers it with an id. */
    ObjectNode register(ObjectNode definition) {
        ObjectNode stored = definition.deepCopy();
        if (!stored.hasNonNull("status")) {
            stored.put("status", "APPROVED");
        }
        stored.put(
                "id",
                Integer.toString(Math.abs((definition.path("name").asString() + ":"
                                + definition.path("language").asString())
                        .hashCode())));
        templates.put(
                key(
                        definition.path("name").asString(),
                        definition.path("language").asString()),
                stored);
        return stored;
    }

    Collection<ObjectNode> all() {
        return templates.values();
    }

    /** Meta's error for a template message the WABA cannot send, or null when it is fine. */
    ResponseEntity<ObjectNode> check(JsonNode template) {
        String name = template.path("name").asString("");
        String language = template.path("language").path("code").asString("");
        ObjectNode known = templates.get(key(name, language));
        if (known == null) {
            return GraphErrors.error(
                    404,
                    132001,
                    "(#132001) Template name does not exist in the translation",
                    "template name (" + name + ") does not exist in " + language);
        }
        for (JsonNode component : known.path("components")) {
            String type = component.path("type").asString("").toLowerCase(Locale.ROOT);
            int expected = switch (type) {
                case "header" -> {
                    String format = component.path("format").asString("TEXT");
                    yield format.equalsIgnoreCase("TEXT")
                            ? placeholders(component.path("text").asString(""))
                            : (Set.of("IMAGE", "DOCUMENT", "VIDEO").contains(format.toUpperCase(Locale.ROOT)) ? 1 : 0);
                }
                case "body" -> placeholders(component.path("text").asString(""));
                default -> 0;
            };
            int given = 0;
            for (JsonNode c : template.path("components")) {
                if (c.path("type").asString("").equalsIgnoreCase(type)) {
                    given = c.path("parameters").size();
                }
            }
            if (given != expected) {
                return GraphErrors.error(
                        400,
                        132000,
                        "(#132000) Number of parameters does not match the expected number of params",
                        type + ": number of localizable_params (" + given + ") does not match the expected number of"
                                + " params (" + expected + ")");
            }
        }
        return null;
    }

    private static int placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.size();
    }

    private static String key(String name, String language) {
        return name + "\u0000" + language;
    }
}
