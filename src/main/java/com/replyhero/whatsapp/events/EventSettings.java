package com.replyhero.whatsapp.events;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Events to the organization's own webhook ({@code rh.events.*}; docs/events.md).
 *
 * @param retryFor how long an event is delivered again before it is dead
 * @param backoffBase the first wait before an event is delivered again; it doubles, with jitter
 * @param backoffCap the longest wait between two deliveries of an event
 * @param timeout how long a delivery may take
 * @param perOrgConcurrency deliveries under way at once per org
 * @param maxInFlight deliveries under way at once per node
 * @param pollInterval how often due events are looked for when none was signalled
 * @param keep how long delivered and dead events (and their attempts) are kept
 * @param retentionInterval how often events past {@code keep} are deleted
 */
@ConfigurationProperties("rh.events")
@Validated
record EventSettings(
        @DefaultValue("25h") @DurationMin(millis = 1) Duration retryFor,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration backoffBase,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration backoffCap,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration timeout,
        @DefaultValue("4") @Positive int perOrgConcurrency,
        @DefaultValue("256") @Positive int maxInFlight,
        @DefaultValue("1s") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("30d") @DurationMin(millis = 1) Duration keep,
        @DefaultValue("1h") @DurationMin(millis = 1) Duration retentionInterval) {}
