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

    /**
     * A field the request does not know (collected by a {@code @JsonAnySetter}) is refused, never ignored: a misspelt
     * {@code optOut} or audience would otherwise change nothing, or too much. {@code prefix}: where the fields are
     * ({@code "audience."}, or empty at the top), {@code known}: the fields there are, for the message.
     */
    public static void noUnknownFields(java.util.Map<String, Object> unknown, String prefix, String known) {
        if (unknown != null && !unknown.isEmpty()) {
            String field = prefix + unknown.keySet().iterator().next();
            throw new ApiException(
                    org.springframework.http.HttpStatus.BAD_REQUEST,
                    "unknown_field",
                    field + " is not a field here (" + known + "); nothing was changed",
                    field);
        }
    }
}
