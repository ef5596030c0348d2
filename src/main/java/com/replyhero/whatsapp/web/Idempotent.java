package com.replyhero.whatsapp.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operation honours {@code Idempotency-Key} (SPEC §4): a repeat with the same key and request answers the first
 * result ({@code Idempotency-Replayed: true}) and changes nothing; the same key with another request is 422
 * {@code idempotency_key_reused}; while the first still runs, 409 {@code request_in_progress}. Every POST of the
 * org and operator APIs carries it. Here, beside the other shared HTTP concerns, so that every feature may use it;
 * the protocol itself is the {@code idempotency} feature's.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

    /** Who keeps the first request's outcome. */
    Keeper value() default Keeper.GATEWAY;

    enum Keeper {
        /** The gateway keeps the first answer (status, body) for a day and answers it again. */
        GATEWAY,
        /**
         * The operation keeps the key itself, through the {@code IdempotentRequest} it takes: on what it makes
         * (a message, a broadcast: the key lives as long as they do), or for a body it must not buffer (an upload).
         */
        OPERATION
    }
}
