package com.replyhero.whatsapp.orgs;

/** An org's WhatsApp number on the Cloud API: where its messages go out from, and the token that may send. */
public record Channel(String orgId, String phoneNumberId, String wabaId, String accessToken, int throughputPerSecond) {

    /**
     * A token that {@code Authorization: Bearer <token>} can carry: visible ASCII only (0x21 to 0x7e). Anything
     * else (a line break, a control character, a space, a non-ASCII letter) is no valid header value, and an HTTP
     * client refuses it with the whole header, token included, in its exception message.
     */
    public static boolean isSendableAccessToken(String token) {
        return token != null && !token.isEmpty() && token.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

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
