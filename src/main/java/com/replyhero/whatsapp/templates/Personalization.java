package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.customers.Customer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Per-recipient parameters of a campaign: a text parameter may hold {@code {{customer.name}}},
 * {@code {{customer.phone}}} or {@code {{customer.attributes.<name>}}}, replaced by that recipient's value. A
 * recipient whose value is missing, or makes a parameter longer than Meta takes, fails alone
 * ({@code personalization_invalid}) without being sent.
 */
final class Personalization {

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*customer\\.(name|phone|attributes\\.([A-Za-z0-9_]{1,64}))\\s*}}");

    /** What Meta refuses in a text parameter (132018): a line break, a tab, more than 4 spaces in a row. */
    private static final Pattern BREAKS = Pattern.compile("[\\n\\r\\t]| {5}");

    private Personalization() {}

    /**
     * What is left of a text once its placeholders are taken out must not look like one: double braces, a brace next
     * to a placeholder, or a brace before "customer" in any case ({@code {{customer.nme}}}, {@code {{customer}}},
     * {@code {{CUSTOMER.NAME}}}, {@code {customer.name}}, {@code {{contact.name}}}, {@code {{{customer.name}}}).
     */
    private static final Pattern LEFT_OVER = Pattern.compile("\\{\\{|}}|(?i)\\{\\s*customer");

    /**
     * A misspelt placeholder is refused before anything is stored: sent as it is, every recipient would read it.
     * A placeholder with a brace right before or after it is one too.
     */
    static void requireKnown(JsonNode content, String field) {
        if (content.isString()) {
            String text = content.asString();
            String rest = PLACEHOLDER.matcher(text).replaceAll("\u0000");
            Matcher wrong = LEFT_OVER.matcher(rest);
            if (wrong.find() || rest.contains("{\u0000") || rest.contains("\u0000}")) {
                throw com.replyhero.whatsapp.web.ApiException.invalid(
                        field,
                        "\"" + text + "\" holds something like a placeholder that is none: use {{customer.name}},"
                                + " {{customer.phone}} or {{customer.attributes.<name>}}, and no other double braces");
            }
            return;
        }
        for (JsonNode child : content) {
            requireKnown(child, field);
        }
    }

    /** The placeholders of the message this customer has no value for (a missing or blank one). */
    static java.util.List<String> missing(JsonNode content, Customer customer) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        collectMissing(content, customer, missing);
        return missing;
    }

    private static void collectMissing(JsonNode content, Customer customer, java.util.List<String> missing) {
        if (content.isString()) {
            Matcher m = PLACEHOLDER.matcher(content.asString());
            while (m.find()) {
                String value = value(m, customer);
                if (value == null || value.isBlank()) {
                    missing.add(m.group());
                }
            }
            return;
        }
        for (JsonNode child : content) {
            collectMissing(child, customer, missing);
        }
    }

    /** Whether any string of the message holds a placeholder. */
    static boolean needed(JsonNode content) {
        if (content.isString()) {
            return PLACEHOLDER.matcher(content.asString()).find();
        }
        for (JsonNode child : content) {
            if (needed(child)) {
                return true;
            }
        }
        return false;
    }

    /** The message for this recipient: a copy with every placeholder replaced. */
    static JsonNode forCustomer(JsonNode content, Customer customer) {
        if (content.isString()) {
            return StringNode.valueOf(replace(content.asString(), customer));
        }
        if (content instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.properties().forEach(e -> copy.set(e.getKey(), forCustomer(e.getValue(), customer)));
            return copy;
        }
        if (content instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(e -> copy.add(forCustomer(e, customer)));
            return copy;
        }
        return content;
    }

    /**
     * Why a recipient's message cannot go as it is, or empty when it can: a text parameter that came out empty (the
     * customer has no such value; Meta would refuse it) or over its limit (header {@value TemplateMessages#HEADER_TEXT},
     * body {@code bodyLimit}, a button's payload, coupon code or URL suffix), checked as the request's own values are.
     */
    static java.util.Optional<String> problem(JsonNode message, int bodyLimit) {
        for (JsonNode component : message.path("template").path("components")) {
            String type = component.path("type").asString("");
            int p = 0;
            for (JsonNode parameter : component.path("parameters")) {
                String kind = parameter.path("type").asString("");
                String value =
                        parameter.path(kind).isString() ? parameter.path(kind).asString() : null;
                if (value != null) {
                    int limit = switch (type + "/" + kind) {
                        case "header/text" -> TemplateMessages.HEADER_TEXT;
                        case "body/text" -> bodyLimit;
                        case "button/payload" -> TemplateMessages.PAYLOAD;
                        case "button/coupon_code" -> TemplateMessages.COUPON_CODE;
                        default -> TemplateMessages.URL;
                    };
                    String where = type + " parameter " + (p + 1);
                    if (value.isBlank()) {
                        return java.util.Optional.of(
                                "the " + where + " came out empty for this customer (no value for its placeholder)");
                    }
                    if (kind.equals("text") && BREAKS.matcher(value).find()) {
                        return java.util.Optional.of("the " + where + " came out with a line break, a tab or more"
                                + " than 4 spaces in a row for this customer, which Meta refuses in a parameter");
                    }
                    if (value.length() > limit) {
                        return java.util.Optional.of("the " + where + " came out " + value.length()
                                + " characters long for this customer; at most " + limit);
                    }
                }
                p++;
            }
        }
        return java.util.Optional.empty();
    }

    private static String replace(String text, Customer customer) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m, customer);
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String value(Matcher placeholder, Customer customer) {
        return switch (placeholder.group(1)) {
            case "name" -> customer.name();
            case "phone" -> customer.phone();
            default -> attributes(customer).get(placeholder.group(2));
        };
    }

    private static Map<String, String> attributes(Customer customer) {
        return customer.attributes() == null ? Map.of() : customer.attributes();
    }
}
