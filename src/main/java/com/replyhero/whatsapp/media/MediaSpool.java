package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.web.ApiException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Temporary files for media on their way to the Cloud API, in {@code <data dir>/tmp/media} (emptied at
 * start-up). Writers are capped: a file that grows past its limit is refused with 413 as it is written.
 */
@Component
public class MediaSpool {

    private final Path dir;

    MediaSpool(DataDir dataDir) {
        this.dir = dataDir.resolve("tmp").resolve("media");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> leftovers = Files.list(dir)) {
                leftovers.forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** A new empty file in the spool directory. */
    public Path newFile() {
        try {
            return Files.createTempFile(dir, "media-", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Spools what {@code writer} writes, refusing with 413 ({@code tooLarge}'s message) past {@code maxBytes}.
     */
    public MediaFile write(long maxBytes, String field, String tooLarge, Consumer<OutputStream> writer) {
        Path file = newFile();
        MessageDigest sha = sha256();
        try (CappedOutputStream out = new CappedOutputStream(
                new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 65536), sha),
                maxBytes,
                field,
                tooLarge)) {
            writer.accept(out);
            out.flush();
            return new MediaFile(file, out.count, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    /** Spools a stream (at most {@code maxBytes}). */
    public MediaFile copy(InputStream in, long maxBytes, String field, String tooLarge) {
        return write(maxBytes, field, tooLarge, out -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Size and SHA-256 of a file already in the spool. */
    public MediaFile describe(Path file) {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file);
                OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            long size = in.transferTo(sink);
            return new MediaFile(file, size, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // emptied at start-up
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts what passes and refuses with 413 beyond the cap (a RuntimeException, so parsers pass it on). */
    private static final class CappedOutputStream extends FilterOutputStream {
        private final long max;
        private final String field;
        private final String tooLarge;
        private long count;

        CappedOutputStream(OutputStream out, long max, String field, String tooLarge) {
            super(out);
            this.max = max;
            this.field = field;
            this.tooLarge = tooLarge;
        }

        @Override
        public void write(int b) throws IOException {
            grow(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            grow(len);
            out.write(b, off, len);
        }

        private void grow(long n) {
            count += n;
            if (count > max) {
                throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "media_too_large", tooLarge, field);
            }
        }
    }
}
