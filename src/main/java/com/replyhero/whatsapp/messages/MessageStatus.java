package com.replyhero.whatsapp.messages;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a message stands. Outbound: {@code sending} (stored, the Cloud API being called), {@code queued}
 * (waiting for a retry), {@code unknown} (the call may or may not have reached Meta; Meta's status webhook
 * decides), {@code accepted} (Meta took it), then {@code sent}, {@code delivered}, {@code read}, or
 * {@code failed}; {@code cancelled}: a broadcast recipient never sent because its broadcast was cancelled. Inbound:
 * {@code received}. Delivery states only move forward.
 */
public enum MessageStatus {
    SENDING,
    QUEUED,
    UNKNOWN,
    ACCEPTED,
    SENT,
    DELIVERED,
    READ,
    FAILED,
    CANCELLED,
    RECEIVED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MessageStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Meta's webhook statuses, or null for one we do not track. */
    public static MessageStatus fromWebhook(String status) {
        return switch (status == null ? "" : status) {
            case "sent" -> SENT;
            case "delivered" -> DELIVERED;
            case "read" -> READ;
            case "failed" -> FAILED;
            default -> null;
        };
    }
}
