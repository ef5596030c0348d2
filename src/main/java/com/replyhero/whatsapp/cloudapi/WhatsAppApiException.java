package com.replyhero.whatsapp.cloudapi;

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

    /**
     * Meta's codes that say the request was not taken: throttling (4, 80007, 130429, 131056) and a service that
     * is down or overloaded (2, 131016, 133004). Try again later.
     */
    private static final Set<Integer> NOT_TAKEN_CODES = Set.of(2, 4, 80007, 130429, 131016, 131056, 133004);

    /**
     * Meta's "unknown error" (1) and "something went wrong" (131000): they can follow a send that Meta did take,
     * so they do not prove that nothing left.
     */
    private static final Set<Integer> UNKNOWN_ERROR_CODES = Set.of(1, 131000);

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
        return new WhatsAppApiException(httpStatus, code, subcode, message, outcomeOf(httpStatus, code));
    }

    /**
     * What an error answer with Meta's error body proves. Never send twice: only a throttling or unavailability
     * code, or a 503 or 429 (refused before any work), proves "not sent"; an unknown error, and any other 5xx, may
     * follow a send that took effect (uncertain); any other 4xx is a refusal.
     */
    static Outcome outcomeOf(int httpStatus, Integer code) {
        if (code != null && UNKNOWN_ERROR_CODES.contains(code)) {
            return Outcome.UNCERTAIN;
        }
        if ((code != null && NOT_TAKEN_CODES.contains(code)) || httpStatus == 503 || httpStatus == 429) {
            return Outcome.NOT_SENT;
        }
        return httpStatus >= 500 ? Outcome.UNCERTAIN : Outcome.REJECTED;
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

    /** How our API answers this failure. */
    public UpstreamFailure failure() {
        return switch (outcome) {
            case UNCERTAIN -> UpstreamFailure.OUTCOME_UNKNOWN;
            case NOT_SENT -> UpstreamFailure.UNAVAILABLE;
            case REJECTED -> isAuthFailure() ? UpstreamFailure.UNAUTHORIZED : UpstreamFailure.REJECTED;
        };
    }

    /** The stable code our API reports for this failure. */
    public String errorCode() {
        return failure().code();
    }

    /** The status our API answers with. */
    public HttpStatus clientStatus() {
        return failure().status();
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
