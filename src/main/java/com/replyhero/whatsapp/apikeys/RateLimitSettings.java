package com.replyhero.whatsapp.apikeys;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Requests per API key, counted in PostgreSQL so the limit holds across nodes ({@code rh.rate-limit.*}).
 *
 * @param perKeyPerSecond requests per second per API key ({@code RH_RATE_LIMIT_PER_KEY}; 0: no limit; the default
 *     matches Meta's highest tier, 1,000 messages per second per number); a key may have its own
 */
@ConfigurationProperties("rh.rate-limit")
@Validated
record RateLimitSettings(
        @DefaultValue("1000") @PositiveOrZero Integer perKeyPerSecond) {}
