package com.replyhero.whatsapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The gateway's data directory ({@code RH_DATA_DIR}): embedded database, generated secrets, demo.json. */
@Component
public class DataDir {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path root;

    @Autowired
    DataDir(DataDirSettings settings) {
        this(settings.dataDir());
    }

    public DataDir(String root) {
        this.root = Path.of(root).toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    /** The configured value when there is one, else a secret generated once and kept in secrets/NAME (0600). */
    public String secret(String name, String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path file = root.resolve("secrets").resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            createPrivateDirectory(file.getParent());
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String value = HexFormat.of().formatHex(bytes);
            writePrivate(file, value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }

    /**
     * Writes a file readable by the owner only, from the moment it exists: the content goes to a new temporary
     * file created 0600 (never an existing file or link), which then replaces {@code file} in one atomic rename.
     */
    public static void writePrivate(Path file, String content) throws IOException {
        Path tmp = createPrivateTemp(file.toAbsolutePath().getParent(), file.getFileName() + ".");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new empty file in {@code dir}, created 0600 (not narrowed afterwards: no moment with the umask's). */
    static Path createPrivateTemp(Path dir, String prefix) throws IOException {
        try {
            return Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions apply
            return Files.createTempFile(dir, prefix, ".tmp");
        }
    }

    /** Creates the directory 0700 when it does not exist yet. */
    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }
}
