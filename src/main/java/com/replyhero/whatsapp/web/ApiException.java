package com.replyhero.whatsapp.web;

import org.springframework.http.HttpStatus;

/** A failure the caller can act on; rendered as {@link ApiError}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(HttpStatus status, String code, String message, String field) {
        this(status, code, message, field, null);
    }

    /** A failure that a retry after {@code retryAfterSeconds} can cure (answered with {@code Retry-After}). */
    public ApiException(HttpStatus status, String code, String message, String field, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message, field);
    }

    public static ApiException missing(String field) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", field + " is required", field);
    }

    /** Not found, or not this org's: the two must look the same. */
    public static ApiException notFound(String what, String field) {
        return new ApiException(HttpStatus.NOT_FOUND, what + "_not_found", what + " not found", field);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** Seconds for {@code Retry-After}, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiError toError() {
        return new ApiError(status.value(), code, getMessage(), field, null, null);
    }
}
