package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * One of an org's WhatsApp numbers on the Cloud API: where its messages go out from, the token that may send, its
 * pace. {@code id} is the gateway's (sends name it as {@code channelId}); {@code isDefault}: the org's channel for a
 * send that names none (one per org).
 */
public record Channel(
        String orgId,
        String id,
        String phoneNumberId,
        String wabaId,
        String accessToken,
        int throughputPerSecond,
        String name,
        boolean isDefault) {

    /** A default channel not stored yet (it gets its id when it is). */
    public Channel(String orgId, String phoneNumberId, String wabaId, String accessToken, int throughputPerSecond) {
        this(orgId, null, phoneNumberId, wabaId, accessToken, throughputPerSecond, null, true);
    }

    /** The code of a send refused, or a broadcast's message failed, because the org has no channel. */
    public static final String NOT_CONFIGURED = "channel_not_configured";

    /** 404 as if it did not exist: the org has no channel of that id ({@code field} names it). */
    public static ApiException notFound(String field) {
        return ApiException.notFound("channel", field);
    }

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

    /**
     * What may be shown of the token: its last four characters (never the token), or why it cannot be read.
     */
    public String accessTokenHint() {
        String token = accessToken;
        return com.replyhero.whatsapp.secrets.SecretBox.isSealed(token)
                ? "unreadable: the token does not open under the secrets keys; set the channel again"
                : token.length() <= 8 ? "****" : "****" + token.substring(token.length() - 4);
    }

    public Channel withAccessToken(String token) {
        return new Channel(orgId, id, phoneNumberId, wabaId, token, throughputPerSecond, name, isDefault);
    }

    @Override
    public String toString() {
        // never print the token
        return "Channel[orgId=" + orgId + ", id=" + id + ", phoneNumberId=" + phoneNumberId + ", wabaId=" + wabaId
                + "]";
    }
}
