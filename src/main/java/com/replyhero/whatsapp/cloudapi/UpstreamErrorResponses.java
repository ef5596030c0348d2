package com.replyhero.whatsapp.cloudapi;

import com.replyhero.whatsapp.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A Cloud API failure that reaches a controller, answered in the one error shape with Meta's facts. Here, with the
 * client, so that the web layer does not depend on the client; ahead of {@code web.ErrorResponses}, whose catch-all
 * would otherwise take it for an unexpected failure.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UpstreamErrorResponses {

    @ExceptionHandler(WhatsAppApiException.class)
    ResponseEntity<ApiError> upstream(WhatsAppApiException e) {
        return ResponseEntity.status(e.clientStatus()).body(e.toError(null));
    }
}
