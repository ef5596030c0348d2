package com.replyhero.whatsapp.messages.send.kinds;

import com.replyhero.whatsapp.web.ApiException;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a kind's JSON and names the exact field when a value is wrong, as a path into the request
 * ({@code message.interactive.action.buttons[1].reply.title}). Lengths are counted in characters (code points), as
 * Meta counts them.
 */
final class Fields {

    /** A free string Meta sets no limit on (a name, a street): bounded by the request's size only, and this. */
    static final int FREE_TEXT = 4096;

    private Fields() {}

    static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    static ObjectNode object(JsonNode value, String field) {
        if (absent(value)) {
            throw ApiException.missing(field);
        }
        if (!value.isObject()) {
            throw ApiException.invalid(field, field + " must be an object");
        }
        return (ObjectNode) value;
    }

    /** An array of {@code min} to {@code max} items. */
    static ArrayNode array(JsonNode value, String field, int min, int max) {
        if (absent(value)) {
            throw ApiException.missing(field);
        }
        if (!value.isArray()) {
            throw ApiException.invalid(field, field + " must be an array");
        }
        if (value.size() < min || value.size() > max) {
            throw ApiException.invalid(
                    field,
                    min == max
                            ? field + " must have " + min + " item" + (min == 1 ? "" : "s")
                            : field + " must have " + min + " to " + max + " items, not " + value.size());
        }
        return (ArrayNode) value;
    }

    /** A non-blank string of at most {@code max} characters. */
    static String text(JsonNode value, String field, int max) {
        if (absent(value)) {
            throw ApiException.missing(field);
        }
        String text = string(value, field, max);
        if (text.isBlank()) {
            throw ApiException.missing(field);
        }
        return text;
    }

    /** Null when absent, else a non-blank string of at most {@code max} characters. */
    static String optionalText(JsonNode value, String field, int max) {
        return absent(value) ? null : text(value, field, max);
    }

    /** A string (it may be empty) of at most {@code max} characters. */
    static String string(JsonNode value, String field, int max) {
        if (absent(value)) {
            throw ApiException.missing(field);
        }
        if (!value.isString()) {
            throw ApiException.invalid(field, field + " must be a string");
        }
        String text = value.stringValue();
        if (text.indexOf('\u0000') >= 0) {
            throw ApiException.invalid(field, field + " must not contain the NUL character");
        }
        if (text.codePointCount(0, text.length()) > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        return text;
    }

    /** The string at {@code field}, which must be exactly {@code expected}. */
    static String exactly(JsonNode value, String field, String expected) {
        String text = text(value, field, expected.length() + 64);
        if (!text.equals(expected)) {
            throw ApiException.invalid(field, field + " must be " + expected);
        }
        return text;
    }

    /** Refuses a field the object does not have in Meta's API: a typo would otherwise be dropped silently. */
    static void only(ObjectNode object, String field, Set<String> names) {
        for (String name : object.propertyNames()) {
            if (!names.contains(name)) {
                throw ApiException.invalid(
                        field + "." + name,
                        field + "." + name + " is not a field of " + field + " (it has "
                                + String.join(", ", new TreeSet<>(names)) + ")");
            }
        }
    }

    /** Copies an optional string field, checked, when it is present. */
    static void copyOptional(ObjectNode from, ObjectNode to, String name, String field, int max) {
        String value = optionalText(from.get(name), field + "." + name, max);
        if (value != null) {
            to.put(name, value);
        }
    }
}
