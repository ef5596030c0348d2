package com.replyhero.whatsapp.sandbox;

import org.springframework.http.HttpStatus;

/**
 * A refusal of the sandbox's own endpoints (customers writing in, faults, templates), answered in the gateway's
 * error shape by {@link SandboxErrors}. The Graph endpoints answer Meta's shape instead ({@code graph.GraphErrors}).
 */
public class SandboxException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String field;

    public SandboxException(HttpStatus status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static SandboxException invalid(String field, String message) {
        return new SandboxException(HttpStatus.BAD_REQUEST, "invalid_request", message, field);
    }

    public static SandboxException missing(String field) {
        return invalid(field, field + " is required");
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }
}
