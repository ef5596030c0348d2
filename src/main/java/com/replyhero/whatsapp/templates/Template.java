package com.replyhero.whatsapp.templates;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A template an org may send, in one language, as Meta defines it ({@code components} such as
 * {@code {"type": "HEADER", "format": "IMAGE"}} and {@code {"type": "BODY", "text": "Hi {{1}}"}}), with what a
 * send must supply: the header's format and parameter count, the body's parameter count.
 */
public record Template(
        String orgId,
        String name,
        String language,
        String status,
        String category,
        JsonNode components,
        String headerFormat,
        int headerParams,
        int bodyParams,
        boolean hasOtherComponents,
        String source) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    /** Reads Meta's template definition; answers null for the fields it cannot find. */
    static Template fromDefinition(
            String orgId,
            String name,
            String language,
            String status,
            String category,
            JsonNode components,
            String source) {
        String headerFormat = null;
        int headerParams = 0;
        int bodyParams = 0;
        boolean others = false;
        for (JsonNode component : components) {
            String type = component.path("type").asString("").toUpperCase(Locale.ROOT);
            switch (type) {
                case "HEADER" -> {
                    others = true;
                    headerFormat = component.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
                    headerParams = headerFormat.equals("TEXT")
                            ? placeholders(component.path("text").asString(""))
                            : (Set.of("IMAGE", "DOCUMENT", "VIDEO").contains(headerFormat) ? 1 : 0);
                }
                case "BODY" -> bodyParams = placeholders(component.path("text").asString(""));
                default -> others = true;
            }
        }
        return new Template(
                orgId,
                name,
                language,
                status == null ? "APPROVED" : status,
                category,
                components,
                headerFormat,
                headerParams,
                bodyParams,
                others,
                source);
    }

    /** How many distinct parameters ({@code {{1}}}, {@code {{2}}}, or named ones) a text has. */
    static int placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names.size();
    }

    /** A header that takes a media parameter (image, document or video), or null. */
    String headerMediaType() {
        return headerFormat != null && Set.of("IMAGE", "DOCUMENT", "VIDEO").contains(headerFormat)
                ? headerFormat.toLowerCase(Locale.ROOT)
                : null;
    }
}
