package com.replyhero.whatsapp.monitoring;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's own metrics ({@code rh.metrics.*}; docs/operations.md#metrics-dashboards-and-alerts).
 *
 * @param backlogInterval how often each node reads the backlogs (queued messages, pending events, unprocessed
 *     webhooks, broadcasts) from the database for its gauges
 */
@Validated
@ConfigurationProperties("rh.metrics")
record MonitoringSettings(
        @DefaultValue("15s") @DurationMin(seconds = 1) Duration backlogInterval) {}
