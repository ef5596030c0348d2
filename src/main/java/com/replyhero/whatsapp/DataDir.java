package com.replyhero.whatsapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The gateway's data directory ({@code RH_DATA_DIR}): embedded database, generated secrets, demo.json. */
@Component
public class DataDir {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    public DataDir(@Value("${rh.data-dir:./data}") String root) {
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
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String value = HexFormat.of().formatHex(bytes);
            writePrivate(file, value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret " + file, e);
        }
    }

    /** Writes a file readable by the owner only. */
    public static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's own permissions apply
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
