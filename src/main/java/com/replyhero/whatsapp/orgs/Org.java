package com.replyhero.whatsapp.orgs;

import java.time.Instant;
import java.time.ZoneId;

/**
 * An organization: a business that sends through the gateway. {@code autoMarkRead}: its customers' messages are
 * marked read on WhatsApp as soon as they are stored.
 */
public record Org(
        String id, String name, String timeZone, String defaultLanguage, Instant createdAt, boolean autoMarkRead) {

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
