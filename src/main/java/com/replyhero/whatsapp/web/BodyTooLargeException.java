package com.replyhero.whatsapp.web;

import java.io.IOException;

/** A request body went past its endpoint's limit while it was being read: 413 {@code payload_too_large}. */
public class BodyTooLargeException extends IOException {

    private final long limit;

    public BodyTooLargeException(long limit) {
        super("the request body is larger than this endpoint's limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The one error shape for it. */
    public ApiError toError() {
        return new ApiError(413, "payload_too_large", getMessage(), null, null, null);
    }

    /** Whether a failure was, at its root, a body beyond its limit (however a reader wrapped it). */
    public static BodyTooLargeException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
