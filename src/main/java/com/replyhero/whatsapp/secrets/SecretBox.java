package com.replyhero.whatsapp.secrets;

import com.replyhero.whatsapp.DataDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Seals the secrets the gateway must read back (channel tokens, media providers' header values, event signing
 * secrets) before they reach PostgreSQL: envelope encryption, JDK only. Each value gets its own random 256-bit data
 * key; the value is encrypted with AES-256-GCM under it (random 96-bit nonce), bound to its context (column and
 * row) as associated data; the data key is wrapped (AES key wrap, RFC 3394) by the operator's key-encryption key.
 * Stored: {@code rhs1:<key id>:<wrapped data key>:<nonce>:<ciphertext>} (base64url). The key id names the
 * key-encryption key, so values sealed under a previous key still open and can be re-sealed under the current one.
 */
@Component
public class SecretBox {

    static final String VERSION = "rhs1";
    static final String KEY_FILE = "secrets-key";

    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private record Kek(String id, SecretKey key) {}

    private final Kek current;
    private final Map<String, Kek> byId = new LinkedHashMap<>();
    /**
     * Values opened lately, by context and sealed value: the same pair always opens to the same value (the context
     * is authenticated with it), so a channel's token is unwrapped and decrypted once, not on every send. Bounded:
     * emptied when it reaches {@link #OPENED_MAX} entries.
     */
    private final Map<String, String> opened = new java.util.concurrent.ConcurrentHashMap<>();

    static final int OPENED_MAX = 10_000;

    @Autowired
    SecretBox(SecretsSettings settings, DataDir dataDir) {
        this(currentKey(settings, dataDir), settings.previousKeys());
    }

    private SecretBox(String currentKey, List<String> previousKeys) {
        this.current = kek(currentKey, "RH_SECRETS_KEY");
        byId.put(current.id(), current);
        for (String previous : previousKeys) {
            Kek kek = kek(previous, "RH_SECRETS_KEY_PREVIOUS");
            byId.putIfAbsent(kek.id(), kek);
        }
    }

    /** A box with these keys (base64 of 32 bytes each): the first seals, all open. For tests and tools. */
    public static SecretBox of(String currentKey, String... previousKeys) {
        return new SecretBox(currentKey, Arrays.asList(previousKeys));
    }

    /** A new random key, as base64 (what {@code openssl rand -base64 32} prints). */
    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The id of the current key-encryption key (not secret: a digest of it). */
    public String currentKeyId() {
        return current.id();
    }

    /** True when the stored value is sealed (under any key), false when it is in clear. */
    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(VERSION + ":");
    }

    /** What every value sealed under the current key starts with (no LIKE wildcards in it). */
    public String currentPrefix() {
        return VERSION + ":" + current.id() + ":";
    }

    /** True when the stored value is sealed under the current key (else clear, or sealed under a previous one). */
    public boolean isCurrent(String stored) {
        return stored != null && stored.startsWith(currentPrefix());
    }

    /** Seals a value for one place ({@code context}, e.g. {@code channels.access_token/<org id>}). */
    public String seal(String context, String clear) {
        try {
            byte[] dek = new byte[32];
            RANDOM.nextBytes(dek);
            SecretKey dataKey = new SecretKeySpec(dek, "AES");
            Cipher wrap = Cipher.getInstance("AES/KW/NoPadding");
            wrap.init(Cipher.WRAP_MODE, current.key());
            byte[] wrapped = wrap.wrap(dataKey);
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(current.id(), context));
            byte[] sealed = gcm.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            Arrays.fill(dek, (byte) 0);
            return String.join(
                    ":",
                    VERSION,
                    current.id(),
                    B64.encodeToString(wrapped),
                    B64.encodeToString(nonce),
                    B64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret of " + context, e);
        }
    }

    /**
     * The clear value of a stored one: opened when sealed (under the current or a previous key), as is when it is
     * not (a value written in clear by a version before sealing; the pass at start seals it). A sealed value that
     * does not open throws {@link SecretUnreadableException}: never a wrong value.
     */
    public String open(String context, String stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        String key = context + '\n' + stored;
        String value = opened.get(key);
        if (value == null) {
            value = unseal(context, stored);
            if (opened.size() >= OPENED_MAX) {
                opened.clear();
            }
            opened.put(key, value);
        }
        return value;
    }

    private String unseal(String context, String stored) {
        String[] parts = stored.split(":", -1);
        if (parts.length != 5) {
            throw unreadable(context, "it is not in the sealed format");
        }
        Kek kek = byId.get(parts[1]);
        if (kek == null) {
            throw unreadable(
                    context,
                    "it was sealed under key id " + parts[1] + ", which is neither RH_SECRETS_KEY (key id "
                            + current.id() + ") nor in RH_SECRETS_KEY_PREVIOUS");
        }
        try {
            Cipher unwrap = Cipher.getInstance("AES/KW/NoPadding");
            unwrap.init(Cipher.UNWRAP_MODE, kek.key());
            SecretKey dataKey = (SecretKey) unwrap.unwrap(B64D.decode(parts[2]), "AES", Cipher.SECRET_KEY);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, B64D.decode(parts[3])));
            gcm.updateAAD(aad(kek.id(), context));
            return new String(gcm.doFinal(B64D.decode(parts[4])), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw unreadable(
                    context,
                    "it does not authenticate under key id " + kek.id() + ": altered, or moved from" + " another row");
        }
    }

    /** The value sealed under the current key; one already sealed under it is kept as is. */
    public String reseal(String context, String stored) {
        return isCurrent(stored) ? stored : seal(context, open(context, stored));
    }

    private static byte[] aad(String kekId, String context) {
        return (VERSION + ":" + kekId + ":" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static SecretUnreadableException unreadable(String context, String why) {
        String message = "a stored secret (" + context + ") cannot be decrypted: " + why;
        log.error(
                "{}. Give the gateway the key it was sealed with (RH_SECRETS_KEY_PREVIOUS), or set the secret again",
                message);
        return new SecretUnreadableException(message);
    }

    private static Kek kek(String base64, String name) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length != 32) {
            // never the value itself in the message
            throw new IllegalStateException(
                    name + " must be base64 of 32 bytes (e.g. the output of: openssl rand -base64 32)");
        }
        return new Kek(keyId(key), new SecretKeySpec(key, "AES"));
    }

    /** 8 hex digits of a SHA-256 of the key: names it without revealing it. */
    private static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("rh-secrets-key-id:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configured key, or the one generated into the data directory on the first start (like the admin token). */
    private static String currentKey(SecretsSettings settings, DataDir dataDir) {
        if (settings.key() != null && !settings.key().isBlank()) {
            return settings.key();
        }
        Path file = dataDir.resolve("secrets").resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            String key = newKey();
            DataDir.writePrivate(file, key);
            log.info("Generated the secrets key into {}: back it up with the database", file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key " + file, e);
        }
    }

    /** Key ids of the keys that open values (the current one first). */
    List<String> keyIds() {
        return new ArrayList<>(byId.keySet());
    }
}
