package com.replyhero.whatsapp.customers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The customers ({@code rh.customers.*}).
 *
 * @param window Meta's customer-service window: free-form messages only this long after the customer's last message
 *     (24 hours, as Meta's; shorter only to see a window close in a test or a demo, with the built-in sandbox, which
 *     follows the same setting)
 */
@ConfigurationProperties("rh.customers")
public record CustomerSettings(@DefaultValue("24h") Duration window) {

    public CustomerSettings {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("rh.customers.window must be positive");
        }
    }
}
