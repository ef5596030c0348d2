package com.replyhero.whatsapp.support;

/**
 * An org made for a test through the admin API: its ids, its sandbox number (its default channel, {@code channelId})
 * and an API key.
 */
public record TestOrg(String orgId, String userId, String apiKey, String phoneNumberId, String channelId) {

    /** The X-API-KEY header, as name and value. */
    public String[] key() {
        return new String[] {"X-API-KEY", apiKey};
    }
}
