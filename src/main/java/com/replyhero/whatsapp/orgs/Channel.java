package com.replyhero.whatsapp.orgs;

/** An org's WhatsApp number on the Cloud API: where its messages go out from, and the token that may send. */
public record Channel(String orgId, String phoneNumberId, String wabaId, String accessToken, int throughputPerSecond) {

    /** Where the token is sealed to (its column and org): a sealed token opens only as this org's. */
    public String tokenContext() {
        return tokenContext(orgId);
    }

    static String tokenContext(String orgId) {
        return "channels.access_token/" + orgId;
    }

    public Channel withAccessToken(String token) {
        return new Channel(orgId, phoneNumberId, wabaId, token, throughputPerSecond);
    }

    @Override
    public String toString() {
        // never print the token
        return "Channel[orgId=" + orgId + ", phoneNumberId=" + phoneNumberId + ", wabaId=" + wabaId + "]";
    }
}
