package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * API keys look like {@code rhk_} + 32 random base62 characters (190 bits) + a 6-character CRC32 checksum,
 * so that secret scanners and people can tell a key from noise, and a mistyped key is refused without a
 * database look-up. Only the SHA-256 of a key is stored: the keys are random, so a slow hash adds nothing.
 */
final class ApiKeyFormat {

    static final String PREFIX = "rhk_";
    private static final int RANDOM_LENGTH = 32;
    private static final int CHECKSUM_LENGTH = 6;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private ApiKeyFormat() {}

    static String newKey() {
        String random = Ids.random(RANDOM_LENGTH);
        return PREFIX + random + checksum(random);
    }

    /** True when the key has our prefix, length, alphabet and a matching checksum. */
    static boolean isWellFormed(String key) {
        if (key == null
                || key.length() != PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH
                || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            if (ALPHABET.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        String random = key.substring(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH);
        return MessageDigest.isEqual(
                checksum(random).getBytes(StandardCharsets.US_ASCII),
                key.substring(PREFIX.length() + RANDOM_LENGTH).getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What may be shown of a key after its creation: the prefix and its last four characters. */
    static String hint(String key) {
        return key.substring(0, PREFIX.length() + 4) + "..." + key.substring(key.length() - 4);
    }

    private static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }
}
