package com.replyhero.whatsapp;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How SIGTERM stops the gateway ({@code rh.shutdown.*}).
 *
 * @param drain how long the gateway answers not-ready before it closes, so a load balancer stops sending work
 */
@ConfigurationProperties("rh.shutdown")
@Validated
record ShutdownSettings(
        @DefaultValue("1s") @DurationMin(nanos = 0) Duration drain) {}
