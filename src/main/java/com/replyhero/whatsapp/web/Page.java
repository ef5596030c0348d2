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
}
