package com.replyhero.whatsapp.messages.store;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Statuses from Meta's webhooks that came before their message ({@code rh.webhooks.pending-status-*}).
 *
 * @param pendingStatusMaxAge how long such a status is kept for a message that may still turn up
 * @param pendingStatusSweep how often kept statuses are applied to messages that turned up by another way
 */
@ConfigurationProperties("rh.webhooks")
@Validated
record PendingStatusSettings(
        @DefaultValue("7d") @DurationMin(millis = 1) Duration pendingStatusMaxAge,
        @DefaultValue("30s") @DurationMin(millis = 1) Duration pendingStatusSweep) {}
