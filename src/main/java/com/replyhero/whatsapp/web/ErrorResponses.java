package com.replyhero.whatsapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failure into the one {@link ApiError} shape. Features that own an exception of their own answer it
 * with their own advice ahead of this one (the Cloud API client's failures: {@code cloudapi.UpstreamErrorResponses}).
 */
@RestControllerAdvice
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ApiError> api(ApiException e) {
        if (e.retryAfterSeconds() != null) {
            return json(e.status())
                    .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString())
                    .body(e.toError());
        }
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            // a 503 we answer on purpose is one a retry can cure
            return json(e.status()).header(HttpHeaders.RETRY_AFTER, "5").body(e.toError());
        }
        return json(e.status()).body(e.toError());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge);
        }
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return error(HttpStatus.BAD_REQUEST, "invalid_request", field + " has the wrong type", field);
        }
        if (cause instanceof JacksonException) {
            return error(HttpStatus.BAD_REQUEST, "malformed_json", "the request body is not valid JSON", null);
        }
        return error(HttpStatus.BAD_REQUEST, "malformed_json", "the request body is missing or unreadable", null);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return error(
                HttpStatus.BAD_REQUEST, "invalid_request", e.getParameterName() + " is required", e.getParameterName());
    }

    /** Tomcat could not decode a query or form parameter (bad percent-encoding, invalid UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ApiError> undecodableParameter(InvalidParameterException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "invalid_parameter",
                "a query or form parameter is not valid percent-encoded UTF-8",
                null);
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<ApiError> missingPart(MissingServletRequestPartException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "invalid_request",
                e.getRequestPartName() + " is required",
                e.getRequestPartName());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ApiError> missingHeader(MissingRequestHeaderException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getHeaderName() + " is required", e.getHeaderName());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_request", e.getName() + " has the wrong type", e.getName());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Content-Type " + e.getContentType() + " is not supported here",
                null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "this endpoint answers application/json", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMethod() + " is not allowed here", null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noResource(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "no such endpoint", null);
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ApiError> badMultipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException) {
            return tooLarge((MaxUploadSizeExceededException) e);
        }
        return error(HttpStatus.BAD_REQUEST, "invalid_multipart", "the multipart body cannot be read", null);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ApiError> tooLarge(MaxUploadSizeExceededException e) {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large", null);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ApiError> bodyTooLarge(BodyTooLargeException e) {
        return json(HttpStatus.PAYLOAD_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(e.toError());
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessResourceException.class,
        QueryTimeoutException.class
    })
    ResponseEntity<ApiError> databaseDown(Exception e) {
        log.warn("Database unavailable: {}", e.getMessage());
        return json(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(new ApiError(
                        503, "database_unavailable", "the database is unavailable; retry later", null, null, null));
    }

    /**
     * PostgreSQL refuses text it cannot store (a NUL character, in a column or inside jsonb). The transaction is
     * rolled back, so nothing is half-stored; the caller gets a 400 instead of a 500.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ApiError> unstorableText(DataIntegrityViolationException e, HttpServletRequest request) {
        if (e.getMostSpecificCause() instanceof SQLException sql
                && sql.getSQLState() != null
                && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
            return error(
                    HttpStatus.BAD_REQUEST,
                    "invalid_character",
                    "the request contains a character that cannot be stored (such as NUL, \\u0000)",
                    null);
        }
        return unexpected(e, request);
    }

    /** character_not_in_repertoire, untranslatable_character. */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e, HttpServletRequest request) {
        BodyTooLargeException tooLarge = BodyTooLargeException.in(e);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge);
        }
        if (isDatabaseDown(e)) {
            return databaseDown(e);
        }
        if (clientAborted(e)) {
            // the client hung up mid-body (or before its answer): nothing failed here, and nobody reads this answer
            log.info(
                    "Client went away before {} {} was read or answered: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    e.getMessage());
            // nothing is written: nobody reads it, and a response already begun (an event stream) could not take it
            return null;
        }
        log.error("Unexpected failure", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "an unexpected error occurred", null);
    }

    /** Tomcat's sign that the client closed the connection while its request was read or answered. */
    private static boolean clientAborted(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ClientAbortException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure caused by the database connection (refused, closed, timed out, the server shutting down), however
     * Spring wrapped it: no transaction could start, a rollback failed on a dead connection, and so on.
     */
    public static boolean isDatabaseDown(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof org.springframework.transaction.TransactionSystemException failedRollback
                    && failedRollback.getApplicationException() != null
                    && isDatabaseDown(failedRollback.getApplicationException())) {
                // the work failed on a broken connection, then its rollback did too ("Connection is closed")
                return true;
            }
            if (t instanceof CannotCreateTransactionException
                    || t instanceof CannotGetJdbcConnectionException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // class 08: connection exception; 57P01..57P03: the server is shutting down or starting
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An error answer: always JSON, whatever the request's Accept asks (a preset Content-Type skips the negotiation
     * that would fail inside the handler: an {@code Accept: application/xml} client got an empty 406).
     */
    private static ResponseEntity.BodyBuilder json(HttpStatusCode status) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
    }

    static ResponseEntity<ApiError> error(HttpStatus status, String code, String message, String field) {
        return json(status).body(new ApiError(status.value(), code, message, field, null, null));
    }

    /** For filters, which run before the controllers and their advice. */
    /** Writes the failure from outside the dispatcher (a filter), with its {@code Retry-After} if it has one. */
    public static void write(HttpServletResponse response, JsonMapper json, ApiException e) throws IOException {
        if (e.retryAfterSeconds() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        write(response, json, e.toError());
    }

    public static void write(HttpServletResponse response, JsonMapper json, ApiError error) throws IOException {
        response.setStatus(error.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), error);
    }
}
