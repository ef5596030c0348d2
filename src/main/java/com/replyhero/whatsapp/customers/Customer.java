package com.replyhero.whatsapp.customers;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A receiver of one org, known by their WhatsApp number (E.164 digits). {@code windowOpen}: whether Meta's
 * customer-service window was open when the customer was read, by the database's clock ({@link Customers}), and
 * {@code windowClosesAt} when it closes (null when the customer never wrote).
 * {@code tags} (a campaign's audience) and {@code attributes} (values a template's parameters can take).
 */
public record Customer(
        String orgId,
        String id,
        String phone,
        String name,
        Instant lastInboundAt,
        boolean optedOut,
        Instant createdAt,
        @JsonIgnore boolean windowOpen,
        @JsonIgnore Instant windowClosesAt,
        List<String> tags,
        Map<String, String> attributes) {}
