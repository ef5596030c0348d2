package com.replyhero.whatsapp.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A template an org may send, in one language, as Meta defines it ({@code components} such as
 * {@code {"type": "HEADER", "format": "IMAGE"}}, {@code {"type": "BODY", "text": "Hi {{1}}"}}, a {@code FOOTER} and
 * {@code {"type": "BUTTONS", "buttons": [...]}}), with what a send must supply: the header's format and parameter
 * count, the body's parameter count, and which buttons take a parameter.
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
        String source,
        List<Button> buttons) {

    /**
     * A button of the template, at its {@code index} among the template's buttons, of Meta's {@code type}
     * ({@code QUICK_REPLY}, {@code URL}, {@code PHONE_NUMBER}, {@code COPY_CODE}, {@code OTP}, ...); {@code url}
     * for a URL button (with {@code {{1}}} when a send gives its suffix).
     */
    public record Button(int index, String type, String text, String url) {

        /** The {@code sub_type} a send names this button with, or null when a send gives it no parameter. */
        String subType() {
            return switch (type) {
                case "QUICK_REPLY" -> "quick_reply";
                case "URL" -> dynamicUrl() ? "url" : null;
                case "OTP" -> "url"; // Meta's one-time password button takes the code as a url text parameter
                case "COPY_CODE" -> "copy_code";
                default -> null;
            };
        }

        /** A send must give this button's parameter (a dynamic URL's suffix, a coupon or one-time code). */
        boolean needsParameter() {
            return type.equals("COPY_CODE") || type.equals("OTP") || (type.equals("URL") && dynamicUrl());
        }

        boolean dynamicUrl() {
            return url != null && placeholders(url) > 0;
        }
    }

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
        List<Button> buttons = new ArrayList<>();
        for (JsonNode component : components) {
            String type = component.path("type").asString("").toUpperCase(Locale.ROOT);
            switch (type) {
                case "HEADER" -> {
                    others = true;
                    headerFormat = component.path("format").asString("TEXT").toUpperCase(Locale.ROOT);
                    headerParams = headerFormat.equals("TEXT")
                            ? placeholders(component.path("text").asString(""))
                            : (Set.of("IMAGE", "DOCUMENT", "VIDEO", "LOCATION").contains(headerFormat) ? 1 : 0);
                }
                case "BODY" -> bodyParams = placeholders(component.path("text").asString(""));
                case "BUTTONS" -> {
                    others = true;
                    for (JsonNode button : component.path("buttons")) {
                        buttons.add(new Button(
                                buttons.size(),
                                button.path("type").asString("").toUpperCase(Locale.ROOT),
                                button.path("text").asString(null),
                                button.path("url").asString(null)));
                    }
                }
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
                source,
                List.copyOf(buttons));
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
