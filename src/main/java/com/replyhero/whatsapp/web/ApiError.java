package com.replyhero.whatsapp.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error shape of the whole API: the HTTP status, a stable machine-readable {@code code}, a human
 * {@code message}, the {@code field} at fault when there is one, and Meta's error for upstream failures.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String code, String message, String field, String messageId, Upstream upstream) {

    /** Meta's error as the Cloud API gave it, and whether trying again can help. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Upstream(Integer httpStatus, Integer code, Integer subcode, String message, Boolean retryable) {}
}
