package com.replyhero.whatsapp.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Media kept in a directory ({@code rh.media.dir}, by default {@code media/} in the data directory). The database
 * keeps keys relative to it, so the folder can move. Several nodes need it shared (NFS); with S3 they do not.
 */
class FilesystemMediaStore implements MediaStore {

    private final Path root;

    FilesystemMediaStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file, String sha256) {
        Path target = resolve(key);
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = Files.createTempFile(
                    target.getParent(), target.getFileName().toString(), ".part");
            Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
            // atomically: a reader never sees half a file
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary != null) {
                temporary.toFile().delete();
            }
        }
    }

    @Override
    public Optional<StoredFile> open(String key, String sha256) {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (sha256 != null) {
            String actual = HexFormat.of().formatHex(MediaStore.sha256(file));
            if (!actual.equalsIgnoreCase(sha256)) {
                throw MediaStore.corrupted(key, sha256, actual);
            }
        }
        try {
            return Optional.of(new StoredFile(file, Files.size(file), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("outside the media directory: " + key);
        }
        return path;
    }
}
