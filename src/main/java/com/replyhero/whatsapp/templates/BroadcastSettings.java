package com.replyhero.whatsapp.templates;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Template sends and broadcasts ({@code rh.broadcasts.*}; docs/templates-and-broadcasts.md).
 *
 * @param syncLimit largest audience answered synchronously with the array
 * @param syncWait longest a synchronous send waits; recipients not attempted by then show {@code queued}
 * @param pacing {@code false} turns pacing off (benchmarks of raw capacity only)
 * @param slotWindow send slots reserved ahead per round (at most {@code batch})
 * @param rateMargin the share of the channel's throughput a broadcast is paced at: Meta counts the second a call
 *     arrives in, and the calls' trip jitters
 * @param batch most recipients claimed per round
 * @param maxInFlight concurrent Cloud API calls per node
 * @param claimLease how long a claimed, not yet sent recipient is reserved for a node
 * @param markAhead how long before its slot a recipient is marked {@code sending} (a node killed in between leaves
 *     it {@code unknown})
 * @param slotTolerance a send that wakes later than this after its slot is not sent in a bunch with the next ones:
 *     it gets a new slot
 * @param pollInterval how often each node looks for running broadcasts
 * @param completionInterval how often running broadcasts with nothing left to send are completed
 * @param refusalPause refusals with one Meta error code among a broadcast's last 100 outcomes on a node that pause it
 *     (0: never)
 */
@ConfigurationProperties("rh.broadcasts")
@Validated
public record BroadcastSettings(
        @DefaultValue("100") @Positive int syncLimit,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration syncWait,
        @DefaultValue("true") boolean pacing,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration slotWindow,

        @DefaultValue("0.95") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
        double rateMargin,

        @DefaultValue("500") @Positive int batch,
        @DefaultValue("128") @Positive int maxInFlight,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration claimLease,
        @DefaultValue("25ms") @DurationMin(nanos = 0) Duration markAhead,
        @DefaultValue("40ms") @DurationMin(nanos = 0) Duration slotTolerance,
        @DefaultValue("250ms") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("1s") @DurationMin(millis = 1) Duration completionInterval,
        @DefaultValue("25") @PositiveOrZero int refusalPause) {}
