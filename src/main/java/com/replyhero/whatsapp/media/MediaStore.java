package com.replyhero.whatsapp.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Where the media the gateway keeps go: a directory ({@link FilesystemMediaStore}, the default) or an
 * S3-compatible bucket ({@link S3MediaStore}). Keys are relative paths such as {@code inbound/<org>/<media>};
 * bytes stream in from a local file and out to one, never whole in memory, and their SHA-256 is checked on the
 * way out.
 */
interface MediaStore {

    /** Keeps a copy of {@code file} (complete, of this SHA-256 in hex) under {@code key}, replacing what was there. */
    void put(String key, Path file, String sha256);

    /**
     * The bytes under {@code key} as a local file, checked against {@code sha256} (hex; null: unchecked) before
     * any of them is used; empty when nothing is stored there (lifecycle expiry included). Close it when done.
     *
     * @throws com.replyhero.whatsapp.web.ApiException 500 {@code media_corrupted} when the bytes do not match
     */
    Optional<StoredFile> open(String key, String sha256);

    /** What the store is, for the start-up log (no secrets). */
    String describe();

    /** A stored medium read back: a local file, deleted on close when it is a temporary copy. */
    record StoredFile(Path path, long size, boolean temporary) implements AutoCloseable {

        @Override
        public void close() {
            if (temporary) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // in the spool directory, emptied at start-up
                }
            }
        }
    }

    /** The key of a customer's medium: file-system-safe names for any org or media id. */
    static String inboundKey(String orgId, String mediaId) {
        return "inbound/" + safe(orgId) + "/" + safe(mediaId);
    }

    /** The key of a file the org sent: by its SHA-256 (hex), so that a file sent twice is kept once. */
    static String outboundKey(String orgId, String sha256) {
        return "outbound/" + safe(orgId) + "/" + sha256;
    }

    private static String safe(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), newSha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.getMessageDigest().digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code in} to {@code file}, answering the SHA-256 (hex) of what was copied. */
    static String copy(InputStream in, Path file) throws IOException {
        MessageDigest sha = newSha256();
        try (DigestInputStream digesting = new DigestInputStream(in, sha);
                OutputStream out = Files.newOutputStream(file)) {
            digesting.transferTo(out);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** 500 media_corrupted: the stored bytes changed after they were stored. */
    static com.replyhero.whatsapp.web.ApiException corrupted(String key, String expected, String actual) {
        return new com.replyhero.whatsapp.web.ApiException(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "media_corrupted",
                "the medium's bytes in storage do not match the SHA-256 recorded when it was stored (expected "
                        + expected + ", found " + actual + "); they were changed or damaged in the store",
                "id");
    }
}
