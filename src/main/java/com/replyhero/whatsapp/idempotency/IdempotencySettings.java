package com.replyhero.whatsapp.idempotency;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code Idempotency-Key} records ({@code rh.idempotency.*}; docs/api.md).
 *
 * @param keep how long a key's answer is replayed
 * @param abandonedAfter a record still in progress after this long belongs to a node that died: the key may be used
 *     again
 * @param cleanupInterval how often records past {@code keep} are deleted
 */
@ConfigurationProperties("rh.idempotency")
@Validated
record IdempotencySettings(
        @DefaultValue("24h") @DurationMin(millis = 1) Duration keep,
        @DefaultValue("2m") @DurationMin(millis = 1) Duration abandonedAfter,
        @DefaultValue("10m") @DurationMin(millis = 1) Duration cleanupInterval) {}
