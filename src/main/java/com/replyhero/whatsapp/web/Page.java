package com.replyhero.whatsapp.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A list answer: the items, and the cursor of the next page when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> data, String nextCursor) {

    public static <T> Page<T> of(List<T> data) {
        return new Page<>(data, null);
    }

    /** Caps a client's page size to 1..max, {@code fallback} when absent. */
    public static int limit(Integer requested, int fallback, int max) {
        if (requested == null) {
            return fallback;
        }
        if (requested < 1 || requested > max) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + max);
        }
        return requested;
    }

    /** The longest id a cursor can name (ids are 22 characters; older or imported ones are still short). */
    static final int MAX_ID_CURSOR = 64;

    /**
     * The id an id cursor names ({@code nextCursor} of a list paged by id), null when absent. An id is 1 to
     * {@value #MAX_ID_CURSOR} visible ASCII characters: anything else was not given out by this API and is a 400
     * naming {@code cursor} (before it reaches the database, where a NUL would be a 500).
     */
    public static String idCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String id = cursor.strip();
        if (!isId(id)) {
            throw notACursor();
        }
        return id;
    }

    /** 1 to {@value #MAX_ID_CURSOR} visible ASCII characters (0x21 to 0x7e). */
    public static boolean isId(String id) {
        return !id.isEmpty() && id.length() <= MAX_ID_CURSOR && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    /** 400 {@code invalid_request} naming {@code cursor}. */
    public static ApiException notACursor() {
        return ApiException.invalid("cursor", "cursor is not a cursor this API gave out");
    }
}
