package com.replyhero.whatsapp.egress;

import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The guard on every request a tenant controls: provider links, event endpoints ({@code rh.egress.*}).
 *
 * @param allowLoopback may such requests reach loopback ({@code RH_EGRESS_ALLOW_LOOPBACK}); unset: only while the
 *     built-in sandbox is the upstream
 * @param allowedHosts host names and CIDR blocks (a comma list) such requests may reach although internal
 *     ({@code RH_EGRESS_ALLOWED_HOSTS})
 * @param connectTimeout how long a connection to a tenant's host may take
 */
@ConfigurationProperties("rh.egress")
@Validated
record EgressSettings(
        Boolean allowLoopback,
        @DefaultValue List<String> allowedHosts,
        @DefaultValue("5s") @DurationMin(millis = 1) Duration connectTimeout) {

    /** Loopback as configured; unset: allowed only in sandbox mode. */
    boolean allowsLoopback(boolean sandbox) {
        return allowLoopback != null ? allowLoopback : sandbox;
    }
}
