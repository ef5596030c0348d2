package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.web.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A customer's tags and attributes as given (the API's JSON, a CSV row): checked, each refusal naming the field.
 * Tags: at most {@value #MAX_TAGS}, each 1 to 64 letters, digits, {@code _ - . :}, kept lower-case (a tag is matched
 * as written, whatever its case). Attributes: at most {@value #MAX_ATTRIBUTES} names of 1 to 64 letters, digits or
 * {@code _}, each a string of at most {@value #MAX_VALUE} characters.
 */
public final class Traits {

    static final int MAX_TAGS = 50;
    static final int MAX_ATTRIBUTES = 50;
    static final int MAX_VALUE = 1024;
    private static final Pattern TAG = Pattern.compile("[a-z0-9_.:-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private Traits() {}

    /** The tags, distinct and lower-case, in their order; null stays null (not given). */
    public static List<String> tags(List<String> given, String field) {
        if (given == null) {
            return null;
        }
        if (given.size() > MAX_TAGS) {
            throw ApiException.invalid(field, field + " may have at most " + MAX_TAGS + " tags");
        }
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String tag = given.get(i) == null ? "" : given.get(i).strip().toLowerCase(java.util.Locale.ROOT);
            if (!TAG.matcher(tag).matches()) {
                throw ApiException.invalid(
                        field + "[" + i + "]",
                        field + "[" + i + "] must be 1 to 64 letters, digits or _ - . : (e.g. vip, city:kl)");
            }
            tags.add(tag);
        }
        return new ArrayList<>(tags);
    }

    /**
     * The attributes; a null value removes that attribute on an update ({@code removable}), else it is refused. Null
     * stays null (not given).
     */
    public static Map<String, String> attributes(Map<String, String> given, String field, boolean removable) {
        if (given == null) {
            return null;
        }
        if (given.size() > MAX_ATTRIBUTES) {
            throw ApiException.invalid(field, field + " may have at most " + MAX_ATTRIBUTES + " attributes");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, String> attribute : given.entrySet()) {
            String name = attribute.getKey();
            if (name == null || !NAME.matcher(name).matches()) {
                throw ApiException.invalid(field, field + " names must be 1 to 64 letters, digits or _");
            }
            String value = attribute.getValue();
            if (value == null && !removable) {
                throw ApiException.invalid(field + "." + name, field + "." + name + " must be a string");
            }
            if (value != null && value.length() > MAX_VALUE) {
                throw ApiException.invalid(
                        field + "." + name, field + "." + name + " must be at most " + MAX_VALUE + " characters");
            }
            attributes.put(name, value);
        }
        return attributes;
    }
}
