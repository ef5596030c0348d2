package com.replyhero.whatsapp.orgs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A number's health as Meta last reported it: {@code qualityRating} GREEN, YELLOW or RED, {@code qualityEvent} the
 * event that said so (FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, ...), {@code messagingLimit} its tier (TIER_250,
 * TIER_1K, TIER_10K, TIER_100K, TIER_UNLIMITED, ...), {@code displayPhoneNumber} the number as Meta names it in
 * its webhooks. A field is null until Meta reports it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelHealth(
        String displayPhoneNumber,
        String qualityRating,
        String qualityEvent,
        String messagingLimit,
        Instant changedAt) {

    public static final ChannelHealth UNKNOWN = new ChannelHealth(null, null, null, null, null);

    /** Whether sends from the number are better held: Meta rates its quality RED. */
    public boolean isRed() {
        return "RED".equals(qualityRating);
    }
}
