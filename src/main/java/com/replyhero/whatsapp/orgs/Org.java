package com.replyhero.whatsapp.orgs;

import java.time.Instant;
import java.time.ZoneId;

/** An organization: a business that sends through the gateway. */
public record Org(String id, String name, String timeZone, String defaultLanguage, Instant createdAt) {

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
