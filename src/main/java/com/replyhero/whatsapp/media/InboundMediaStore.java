package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * Where downloaded inbound media are kept: a directory ({@code rh.media.dir}, by default {@code media/} in the
 * data directory), one folder per org. The database keeps the path relative to it, so the folder can move.
 */
@Component
class InboundMediaStore {

    private final Path root;

    InboundMediaStore(DataDir dataDir, MediaSettings settings) {
        String dir = settings.dir();
        this.root = dir.isBlank()
                ? dataDir.resolve("media")
                : Path.of(dir).toAbsolutePath().normalize();
    }

    /** The relative path of a media file: file-system-safe names for any org or media id. */
    String relativePath(String orgId, String mediaId) {
        return safe(orgId) + "/" + safe(mediaId);
    }

    Path resolve(String relativePath) {
        Path path = root.resolve(relativePath).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("outside the media directory: " + relativePath);
        }
        return path;
    }

    /** A fresh temporary file next to where {@code relativePath} will be. */
    Path temporary(String relativePath) {
        Path target = resolve(relativePath);
        try {
            Files.createDirectories(target.getParent());
            return Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves a complete download into place (atomically: a reader never sees half a file). */
    void commit(Path temporary, String relativePath) {
        try {
            Files.move(
                    temporary,
                    resolve(relativePath),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return ((DigestInputStream) in).getMessageDigest().digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safe(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }
}
