package com.replyhero.whatsapp.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;

/** A receiver of one org, known by their WhatsApp number (E.164 digits). */
public record Customer(
        String orgId,
        String id,
        String phone,
        String name,
        Instant lastInboundAt,
        boolean optedOut,
        Instant createdAt) {

    /** Meta's customer-service window: free-form messages only within 24 h of the customer's last message. */
    public static final Duration WINDOW = Duration.ofHours(24);

    @JsonIgnore
    public boolean windowOpenAt(Instant now) {
        return lastInboundAt != null && lastInboundAt.plus(WINDOW).isAfter(now);
    }

    /** When the window closes, or null when it is closed. */
    public Instant windowClosesAt() {
        return lastInboundAt == null ? null : lastInboundAt.plus(WINDOW);
    }
}
