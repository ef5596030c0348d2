package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.cloudapi.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bytes spooled to a temporary file (never held in memory), with their size and SHA-256; deleted on close. */
public record MediaFile(Path path, long size, String sha256) implements AutoCloseable {

    /** The first bytes, for {@link MediaTypes#matches}. */
    public byte[] head() {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(MediaTypes.SNIFF_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the spool directory is emptied at start-up
        }
    }
}
