package com.replyhero.whatsapp.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link SandboxException} as {@code {status, code, message, field}}, the shape of the gateway's own
 * errors, whether the sandbox runs inside the gateway or on its own ({@code --sandbox-only}). Ahead of the
 * gateway's error advice, which would take it for an unexpected failure.
 */
@RestControllerAdvice(basePackageClasses = SandboxErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SandboxErrors {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SandboxError(int status, String code, String message, String field) {}

    @ExceptionHandler(SandboxException.class)
    ResponseEntity<SandboxError> refused(SandboxException e) {
        return ResponseEntity.status(e.status())
                .body(new SandboxError(e.status().value(), e.code(), e.getMessage(), e.field()));
    }
}
