package com.replyhero.whatsapp.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What makes two requests with one Idempotency-Key the same request: a SHA-256 over what the operation reads of
 * them (the gateway: method, path, query and body; an operation: its request as read, or a file's bytes).
 */
public final class RequestHash {

    private final MessageDigest digest;

    private RequestHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RequestHash start() {
        return new RequestHash();
    }

    /** The hash of these bytes alone. */
    public static byte[] of(byte[] bytes) {
        return start().add(bytes).finish();
    }

    public RequestHash add(String text) {
        return add(text.getBytes(StandardCharsets.UTF_8));
    }

    public RequestHash add(byte[] bytes) {
        digest.update(bytes);
        return this;
    }

    /** Adds what the stream holds, streamed (a file is never read into memory). */
    public RequestHash add(InputStream in) throws IOException {
        in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        return this;
    }

    public byte[] finish() {
        return digest.digest();
    }
}
