package com.replyhero.whatsapp.metawebhooks;

import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Meta's webhooks are taken in ({@code rh.webhooks.*}). Until its last byte a webhook's signature cannot be
 * checked, so these bound what anyone at all can hold with bodies that never finish.
 *
 * @param maxConcurrent webhooks read and stored at once; beyond, 503 and Meta sends it again
 * @param maxConcurrentPerAddress webhook bodies read at once from one remote address (0: no such limit); behind a
 *     reverse proxy every sender has the proxy's address unless {@code server.forward-headers-strategy} is set
 * @param bodyReadDeadline how long a webhook's whole body may take to arrive once its permit is taken; past it,
 *     408 {@code body_read_timeout}
 * @param keep how long Meta's applied webhooks are kept (unapplied ones are never deleted)
 * @param retentionInterval how often applied webhooks past {@code keep} are deleted
 * @param retryInterval how often webhooks that could not be applied are tried again
 */
@ConfigurationProperties("rh.webhooks")
@Validated
record MetaWebhookSettings(
        @DefaultValue("64") @Positive int maxConcurrent,
        @DefaultValue("8") @PositiveOrZero int maxConcurrentPerAddress,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration bodyReadDeadline,
        @DefaultValue("7d") @DurationMin(millis = 1) Duration keep,
        @DefaultValue("10m") @DurationMin(millis = 1) Duration retentionInterval,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration retryInterval) {}
