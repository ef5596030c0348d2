package com.replyhero.whatsapp.orgs;

/** An org's WhatsApp number on the Cloud API: where its messages go out from, and the token that may send. */
public record Channel(String orgId, String phoneNumberId, String wabaId, String accessToken, int throughputPerSecond) {

    @Override
    public String toString() {
        // never print the token
        return "Channel[orgId=" + orgId + ", phoneNumberId=" + phoneNumberId + ", wabaId=" + wabaId + "]";
    }
}
