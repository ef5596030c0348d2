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
 * {@code {{customer.phone}}} or {@code {{customer.attributes.<name>}}}, replaced by that recipient's value (empty
 * when the customer has none: Meta then refuses that recipient's message, which fails alone).
 */
final class Personalization {

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*customer\\.(name|phone|attributes\\.([A-Za-z0-9_]{1,64}))\\s*}}");

    private Personalization() {}

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

    private static String replace(String text, Customer customer) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "name" -> customer.name();
                case "phone" -> customer.phone();
                default -> attributes(customer).get(m.group(2));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> attributes(Customer customer) {
        return customer.attributes() == null ? Map.of() : customer.attributes();
    }
}
