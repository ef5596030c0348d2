package com.replyhero.whatsapp.cloudapi;

import java.util.Arrays;
import org.springframework.http.HttpStatus;

/**
 * How our API answers a failure of the Cloud API: its stable code and HTTP status, the caller's fault (422) or the
 * gateway's side (502, 503, 504). One table for a failure as it happens ({@link WhatsAppApiException#failure()})
 * and as stored on a message and answered again ({@link #statusOf}).
 */
public enum UpstreamFailure {
    /** It may have taken effect: never sent again, Meta's status webhook settles it. */
    OUTCOME_UNKNOWN("outcome_unknown", HttpStatus.GATEWAY_TIMEOUT),
    /** Provably not sent: a retry can help. */
    UNAVAILABLE("upstream_unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    /** Meta refused the org's token: the operator must set the channel again. */
    UNAUTHORIZED("upstream_unauthorized", HttpStatus.BAD_GATEWAY),
    /** Meta refused the message: sending it again fails again. */
    REJECTED("upstream_rejected", HttpStatus.UNPROCESSABLE_CONTENT),
    /** Not sent, however often the retry queue tried. */
    RETRIES_EXHAUSTED("retries_exhausted", HttpStatus.BAD_GATEWAY);

    private final String code;
    private final HttpStatus status;

    UpstreamFailure(String code, HttpStatus status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    /**
     * The status of a stored failure's code; a code of none of these (a failed status from Meta's webhook, a
     * broadcast's missing channel) says the message could not go: 422.
     */
    public static HttpStatus statusOf(String code) {
        return Arrays.stream(values())
                .filter(f -> f.code.equals(code))
                .findFirst()
                .map(UpstreamFailure::status)
                .orElse(HttpStatus.UNPROCESSABLE_CONTENT);
    }
}
