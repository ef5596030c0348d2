package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.web.ApiException;
import org.springframework.http.HttpStatus;

/** An org's WhatsApp number on the Cloud API: where its messages go out from, and the token that may send. */
public record Channel(String orgId, String phoneNumberId, String wabaId, String accessToken, int throughputPerSecond) {

    /** The code of a send refused, or a broadcast's message failed, because the org has no channel. */
    public static final String NOT_CONFIGURED = "channel_not_configured";

    /** 409 {@code channel_not_configured}: the org has no channel, and an operator must set one. */
    public static ApiException notConfigured() {
        return new ApiException(
                HttpStatus.CONFLICT,
                NOT_CONFIGURED,
                "the org has no WhatsApp channel; an operator sets it with PUT /admin/orgs/{orgId}/channel",
                "orgId");
    }

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
