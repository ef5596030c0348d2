package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's rules for a template submitted for review, checked before anything is stored or sent to Meta: a name of
 * {@code ^[a-z0-9_]{1,512}$}, a language code, a category (MARKETING, UTILITY, AUTHENTICATION), components with at
 * most one of each type and one BODY (at most 1024 characters), a header of 60 and a footer of 60, and an example
 * for every variable ({@code example.body_text}, {@code example.header_text}, a dynamic URL button's
 * {@code example}) and for a media header ({@code example.header_handle} from Meta's Resumable Upload, or
 * {@code example.header_file}: a file the gateway uploads for it).
 */
final class TemplateDefinitions {

    static final Pattern NAME = Pattern.compile("^[a-z0-9_]{1,512}$");
    private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(_[A-Z]{2})?$");
    static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");
    static final Set<String> STATUSES =
            Set.of("PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "PENDING_DELETION");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");
    private static final Map<String, Set<String>> EXAMPLE_TYPES = Map.of(
            "IMAGE", Set.of("image/jpeg", "image/png"),
            "VIDEO", Set.of("video/mp4"),
            "DOCUMENT", Set.of("application/pdf"));
    /** Meta's limits for a header example: 5 MB images, 16 MB videos, 100 MB documents; bounded here by the body. */
    static final int MAX_BODY = 1024;

    private TemplateDefinitions() {}

    /** A media header's example file, to be uploaded for its handle: at {@code component}'s index. */
    record ExampleFile(int component, String mimeType, byte[] bytes) {}

    /** Checked components, as they go to Meta (a header file's example still to be replaced by its handle). */
    record Checked(ArrayNode components, ExampleFile exampleFile) {}

    static String name(String name) {
        String n = Require.text(name, "name", 512);
        if (!NAME.matcher(n).matches()) {
            throw ApiException.invalid(
                    "name",
                    "name must match ^[a-z0-9_]{1,512}$ (lowercase letters, digits and underscores), as on Meta");
        }
        return n;
    }

    static String language(String language) {
        String l = Require.text(language, "language", 20);
        if (!LANGUAGE.matcher(l).matches()) {
            throw ApiException.invalid("language", "language must be a code such as en or en_US, as on Meta");
        }
        return l;
    }

    static String category(String category, boolean required) {
        if (category == null && !required) {
            return null;
        }
        String c = Require.text(category, "category", 40).toUpperCase(Locale.ROOT);
        if (!CATEGORIES.contains(c)) {
            throw ApiException.invalid("category", "category must be one of AUTHENTICATION, MARKETING, UTILITY");
        }
        return c;
    }

    static String status(String status) {
        if (status == null) {
            return null;
        }
        String s = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(s)) {
            throw ApiException.invalid("status", "status must be one of " + String.join(", ", new TreeSet<>(STATUSES)));
        }
        return s;
    }

    static Checked components(JsonNode components) {
        if (components == null || !components.isArray() || components.isEmpty() || components.size() > 4) {
            throw ApiException.invalid(
                    "components", "components must be an array of 1 to 4 components (HEADER, BODY, FOOTER, BUTTONS)");
        }
        ArrayNode checked = ((ArrayNode) components).deepCopy();
        Set<String> seen = new TreeSet<>();
        ExampleFile file = null;
        for (int i = 0; i < checked.size(); i++) {
            String at = "components[" + i + "]";
            if (!(checked.get(i) instanceof ObjectNode c)) {
                throw ApiException.invalid(at, at + " must be an object");
            }
            String type = c.path("type").asString("").toUpperCase(Locale.ROOT);
            if (!Set.of("HEADER", "BODY", "FOOTER", "BUTTONS").contains(type)) {
                throw ApiException.invalid(at + ".type", "type must be one of HEADER, BODY, FOOTER, BUTTONS");
            }
            if (!seen.add(type)) {
                throw ApiException.invalid(at + ".type", "a template has at most one " + type);
            }
            c.put("type", type);
            switch (type) {
                case "HEADER" -> file = header(c, at, i);
                case "BODY" -> body(c, at);
                case "FOOTER" -> {
                    String text = Require.text(c.path("text").asString(null), at + ".text", 60);
                    if (!variables(text).isEmpty()) {
                        throw ApiException.invalid(at + ".text", "a footer has no variables");
                    }
                }
                default -> buttons(c, at);
            }
        }
        if (!seen.contains("BODY")) {
            throw ApiException.invalid("components", "a template has a BODY component");
        }
        return new Checked(checked, file);
    }

    private static ExampleFile header(ObjectNode c, String at, int index) {
        String format = c.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
        if (!Set.of("TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION").contains(format)) {
            throw ApiException.invalid(at + ".format", "format must be one of TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION");
        }
        c.put("format", format);
        if (format.equals("TEXT")) {
            String text = Require.text(c.path("text").asString(null), at + ".text", 60);
            List<String> variables = variables(text);
            if (variables.size() > 1) {
                throw ApiException.invalid(at + ".text", "a text header has at most one variable");
            }
            if (!variables.isEmpty()) {
                JsonNode example = c.path("example").path("header_text");
                if (!example.isArray() || example.size() != 1 || !nonBlankString(example.get(0))) {
                    throw ApiException.invalid(
                            at + ".example.header_text",
                            "a header with a variable needs example.header_text: one sample value");
                }
            }
            return null;
        }
        if (format.equals("LOCATION")) {
            return null;
        }
        JsonNode example = c.path("example");
        JsonNode handle = example.path("header_handle");
        JsonNode file = example.path("header_file");
        if (handle.isArray() && handle.size() == 1 && nonBlankString(handle.get(0)) && file.isMissingNode()) {
            return null;
        }
        if (!file.isObject()) {
            throw ApiException.invalid(
                    at + ".example",
                    "a " + format + " header needs an example: example.header_handle (a handle from Meta's Resumable"
                            + " Upload) or example.header_file {\"type\", \"data\": base64} for the gateway to upload");
        }
        Set<String> types = EXAMPLE_TYPES.get(format);
        String mimeType = file.path("type").asString("");
        if (!types.contains(mimeType)) {
            throw ApiException.invalid(
                    at + ".example.header_file.type",
                    "a " + format + " header's example is one of " + String.join(", ", new TreeSet<>(types)));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(file.path("data").asString(""));
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length == 0) {
            throw ApiException.invalid(at + ".example.header_file.data", "data must be the file's base64, not empty");
        }
        return new ExampleFile(index, mimeType, bytes);
    }

    private static void body(ObjectNode c, String at) {
        String text = Require.text(c.path("text").asString(null), at + ".text", Integer.MAX_VALUE);
        if (text.length() > MAX_BODY) {
            throw ApiException.invalid(at + ".text", "a template's body is at most " + MAX_BODY + " characters");
        }
        List<String> variables = variables(text);
        if (variables.isEmpty()) {
            return;
        }
        if (variables.stream().allMatch(v -> v.matches("\\d+"))) {
            for (int n = 1; n <= variables.size(); n++) {
                if (!variables.contains(Integer.toString(n))) {
                    throw ApiException.invalid(
                            at + ".text", "the body's variables must be {{1}} to {{" + variables.size() + "}}");
                }
            }
        }
        JsonNode example = c.path("example").path("body_text");
        if (!example.isArray()
                || example.size() != 1
                || !example.get(0).isArray()
                || example.get(0).size() != variables.size()) {
            throw ApiException.invalid(
                    at + ".example.body_text",
                    "a body with " + variables.size() + " variable(s) needs example.body_text: [[" + variables.size()
                            + " sample value(s)]]");
        }
        for (JsonNode value : example.get(0)) {
            if (!nonBlankString(value)) {
                throw ApiException.invalid(at + ".example.body_text", "each sample value is a non-empty string");
            }
        }
    }

    private static void buttons(ObjectNode c, String at) {
        TemplateAdminController.checkButtons(c.path("buttons"), at + ".buttons");
        JsonNode buttons = c.path("buttons");
        for (int b = 0; b < buttons.size(); b++) {
            JsonNode button = buttons.get(b);
            if (button.path("type").asString("").equalsIgnoreCase("URL")
                    && !variables(button.path("url").asString("")).isEmpty()) {
                JsonNode example = button.path("example");
                if (!example.isArray() || example.size() != 1 || !nonBlankString(example.get(0))) {
                    throw ApiException.invalid(
                            at + ".buttons[" + b + "].example",
                            "a URL button with a variable needs example: [a sample URL]");
                }
            }
        }
    }

    private static boolean nonBlankString(JsonNode value) {
        return value != null && value.isString() && !value.asString().isBlank();
    }

    /** The distinct variables of a text, in order of appearance. */
    static List<String> variables(String text) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
