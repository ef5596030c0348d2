package com.replyhero.whatsapp;

import java.security.SecureRandom;

/**
 * New ids: 22 characters of base62, the first 8 from the clock so that ids created later sort later and
 * land near each other in indexes, the other 14 random (83 bits). Clients treat them as opaque strings.
 */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String next() {
        char[] id = new char[22];
        long millis = System.currentTimeMillis();
        for (int i = 7; i >= 0; i--) {
            id[i] = ALPHABET[(int) (millis % 62)];
            millis /= 62;
        }
        for (int i = 8; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(62)];
        }
        return new String(id);
    }

    /** {@code n} random base62 characters. */
    public static String random(int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(62)];
        }
        return new String(out);
    }
}
