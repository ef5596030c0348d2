package com.replyhero.whatsapp.sandbox.media;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Media the sandbox's simulated customers sent, kept in memory as Meta keeps them for the business to
 * download: by media id, with their type and sha256. A medium can be told to fail its next downloads.
 */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxMediaFiles {

    /** A medium: its bytes, MIME type, sha256, and how many downloads are still to fail (500). */
    public record MediaFile(String id, byte[] bytes, String mimeType, byte[] sha256, AtomicInteger failuresLeft) {}

    private static final int MAX_FILES = 1000;

    private final Map<String, MediaFile> files = new ConcurrentHashMap<>();

    public MediaFile add(byte[] bytes, String mimeType, int failDownloads) {
        if (files.size() >= MAX_FILES) {
            files.keySet().stream().findAny().ifPresent(files::remove); // bounded memory: forget one
        }
        String id = Long.toString(
                1_000_000_000_000_000L + ThreadLocalRandom.current().nextLong(9_000_000_000_000_000L));
        MediaFile file =
                new MediaFile(id, bytes, mimeType, sha256(bytes), new AtomicInteger(Math.max(0, failDownloads)));
        files.put(id, file);
        return file;
    }

    Optional<MediaFile> find(String id) {
        return Optional.ofNullable(files.get(id));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
