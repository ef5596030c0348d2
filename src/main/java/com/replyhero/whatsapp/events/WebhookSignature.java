package com.replyhero.whatsapp.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">},
 * keyed with the bytes of a secret written {@code whsec_<base64>}.
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** True for {@code whsec_} followed by base64 of 24 to 64 bytes. */
    public static boolean isValidSecret(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return false;
        }
        try {
            int length = key(secret).length;
            return length >= 24 && length <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code webhook-signature} header value for this message. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** How far a receiver lets a message's timestamp be from its own clock (the specification's five minutes). */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /**
     * A receiver's check, as the specification describes it: the timestamp within {@link #TOLERANCE} of
     * {@code now} (older or newer is a replay or a broken clock), and one of the space-separated {@code v1,}
     * signatures equal, compared in constant time. The gateway's tests use it as an org's backend would.
     */
    public static boolean verify(
            String secret, String id, String timestamp, byte[] body, String signatureHeader, Instant now) {
        if (secret == null || id == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, id, seconds, body).getBytes(StandardCharsets.UTF_8);
        boolean matches = false;
        for (String presented : signatureHeader.split(" ")) {
            matches |= MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
        }
        return matches;
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }
}
