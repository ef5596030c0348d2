package com.replyhero.whatsapp.messages.retryqueue;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sends and the retry queue ({@code rh.outbox.*}; docs/api.md, docs/faults.md).
 *
 * @param maxAttempts how often a message that was not sent is tried before it fails
 * @param unknownDeadline how long a send whose outcome is unknown waits for Meta's status: one whose call ended
 *     without an answer then fails with {@code outcome_unknown}; one whose sender stopped (at least twice as long as
 *     the sender has been gone) is sent again
 * @param leaseMargin how long past {@code rh.graph.request-timeout} a send's lease lasts before its sender counts as
 *     dead; a sender held up between its mark and its call for more than half of it does not call
 * @param claimLease how long a retry-queue claim keeps other nodes off a message that is still queued
 * @param maxInFlight retry-queue sends under way at once per node
 * @param pollInterval how often each node looks for due messages in the retry queue
 * @param sweepInterval how often expired send leases and unknown outcomes past their deadline are settled
 */
@ConfigurationProperties("rh.outbox")
@Validated
public record RetryQueueSettings(
        @DefaultValue("8") @Positive int maxAttempts,
        @DefaultValue("15m") @DurationMin(millis = 1) Duration unknownDeadline,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration leaseMargin,
        @DefaultValue("10s") @DurationMin(millis = 1) Duration claimLease,
        @DefaultValue("16") @Positive int maxInFlight,
        @DefaultValue("500ms") @DurationMin(millis = 1) Duration pollInterval,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration sweepInterval) {}
