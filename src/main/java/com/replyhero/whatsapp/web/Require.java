package com.replyhero.whatsapp.web;

/** Checks on request fields that name the field when they fail. */
public final class Require {

    private Require() {}

    /** A non-blank string of at most {@code max} characters. */
    public static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.missing(field);
        }
        return maxLength(value, field, max);
    }

    /** Null or a string of at most {@code max} characters. */
    public static String optional(String value, String field, int max) {
        return value == null ? null : maxLength(value, field, max);
    }

    private static String maxLength(String value, String field, int max) {
        if (value.indexOf('\u0000') >= 0) {
            throw ApiException.invalid(field, field + " must not contain the NUL character");
        }
        if (value.length() > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value;
    }
}
