package com.replyhero.whatsapp.apikeys;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How API keys are looked up ({@code rh.api-keys.*}).
 *
 * @param cacheFor how long a key without a rate limit is remembered without asking the database
 */
@ConfigurationProperties("rh.api-keys")
@Validated
record ApiKeySettings(
        @DefaultValue("1s") @DurationMin(nanos = 0) Duration cacheFor) {}
