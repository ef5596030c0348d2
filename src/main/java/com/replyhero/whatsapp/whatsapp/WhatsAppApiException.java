package com.replyhero.whatsapp.whatsapp;

import com.replyhero.whatsapp.web.ApiError;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * Every failure of a Cloud API call: the HTTP status (0 when no answer came), Meta's error code, subcode
 * and message, and what the failure says about the request: rejected, provably not sent, or uncertain.
 */
public class WhatsAppApiException extends RuntimeException {

    /** What the caller may conclude about the request. */
    public enum Outcome {
        /** Meta answered and refused it: sending it again will fail again. */
        REJECTED,
        /** It never took effect (no connection, throttled, Meta's error answer): a retry can help. */
        NOT_SENT,
        /** It may have taken effect (no answer, a reset after the body left): never retry blindly. */
        UNCERTAIN
    }

    /** Meta's error codes that mean "try again later". */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004);

    private final int httpStatus;
    private final Integer code;
    private final Integer subcode;
    private final Outcome outcome;
    private final boolean unsendableToken;

    public WhatsAppApiException(int httpStatus, Integer code, Integer subcode, String message, Outcome outcome) {
        this(httpStatus, code, subcode, message, outcome, false);
    }

    private WhatsAppApiException(
            int httpStatus, Integer code, Integer subcode, String message, Outcome outcome, boolean unsendableToken) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.subcode = subcode;
        this.outcome = outcome;
        this.unsendableToken = unsendableToken;
    }

    /**
     * The channel's access token cannot go into an HTTP header (a line break, a control or non-ASCII character):
     * nothing was sent, a retry fails the same way, and the operator must set the token again. The message never
     * contains the token.
     */
    public static WhatsAppApiException unsendableAccessToken() {
        return new WhatsAppApiException(
                0,
                null,
                null,
                "the channel's access token is not a valid HTTP header value (visible ASCII only); the operator must"
                        + " set it again (PUT /admin/orgs/{orgId}/channel)",
                Outcome.REJECTED,
                true);
    }

    /** Classifies an error answer from Meta (one with Meta's error body). */
    public static WhatsAppApiException fromAnswer(int httpStatus, Integer code, Integer subcode, String message) {
        boolean transientFailure = httpStatus >= 500 || (code != null && TRANSIENT_CODES.contains(code));
        return new WhatsAppApiException(
                httpStatus, code, subcode, message, transientFailure ? Outcome.NOT_SENT : Outcome.REJECTED);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Integer code() {
        return code;
    }

    public Integer subcode() {
        return subcode;
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean retryable() {
        return outcome == Outcome.NOT_SENT;
    }

    /** The stable code our API reports for this failure. */
    public String errorCode() {
        return switch (outcome) {
            case UNCERTAIN -> "outcome_unknown";
            case NOT_SENT -> "upstream_unavailable";
            case REJECTED -> isAuthFailure() ? "upstream_unauthorized" : "upstream_rejected";
        };
    }

    /** The status our API answers with: the caller's fault (422) or the gateway's side (502/503/504). */
    public HttpStatus clientStatus() {
        return switch (outcome) {
            case UNCERTAIN -> HttpStatus.GATEWAY_TIMEOUT;
            case NOT_SENT -> HttpStatus.SERVICE_UNAVAILABLE;
            case REJECTED -> isAuthFailure() ? HttpStatus.BAD_GATEWAY : HttpStatus.UNPROCESSABLE_CONTENT;
        };
    }

    private boolean isAuthFailure() {
        return unsendableToken || (code != null && code == 190) || httpStatus == 401 || httpStatus == 403;
    }

    public ApiError toError(String messageId) {
        String text = switch (outcome) {
            case UNCERTAIN ->
                "the WhatsApp Cloud API did not answer; the message may or may not have been "
                        + "sent and is resolved by Meta's status webhook";
            case NOT_SENT -> "the WhatsApp Cloud API is unavailable: " + getMessage();
            case REJECTED -> "the WhatsApp Cloud API refused the message: " + getMessage();
        };
        return new ApiError(
                clientStatus().value(),
                errorCode(),
                text,
                null,
                messageId,
                new ApiError.Upstream(httpStatus == 0 ? null : httpStatus, code, subcode, getMessage(), retryable()));
    }
}
