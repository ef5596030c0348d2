package com.replyhero.whatsapp.cloudapi;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the Cloud API is and how long its calls may take ({@code rh.graph.*}).
 *
 * @param url the Cloud API base URL ({@code RH_GRAPH_URL}), e.g. {@code https://graph.facebook.com}; empty: the
 *     built-in sandbox is the upstream
 * @param version the Graph API version in every path
 * @param connectTimeout how long a connection to the Cloud API may take
 * @param requestTimeout how long a Cloud API call may take; a send's lease and a broadcast's claim outlive it
 * @param uploadTimeout how long a media upload to the Cloud API may take
 */
@ConfigurationProperties("rh.graph")
@Validated
public record GraphSettings(
        @DefaultValue("") String url,
        @DefaultValue("v23.0") @NotBlank String version,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("20s") @DurationMin(millis = 1) Duration requestTimeout,
        @DefaultValue("120s") @DurationMin(millis = 1) Duration uploadTimeout) {}
