package com.replyhero.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets on disk are readable by the owner only, from the moment their file exists. */
class DataDirTest {

    @TempDir
    Path root;

    @Test
    void aGeneratedSecretIsAFileReadableByTheOwnerOnlyInADirectoryOfTheOwnerOnly() throws IOException {
        DataDir dataDir = new DataDir(root.toString());

        String secret = dataDir.secret("admin-token", null);

        Path file = root.resolve("secrets").resolve("admin-token");
        assertThat(Files.readString(file).strip()).isEqualTo(secret);
        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(permissions(file.getParent())).isEqualTo("rwx------");
    }

    @Test
    void theTemporaryFileIsCreatedReadableByTheOwnerOnlyBeforeAnythingIsWrittenToIt() throws IOException {
        Path tmp = DataDir.createPrivateTemp(root, "secret.");

        assertThat(Files.size(tmp)).isZero();
        assertThat(permissions(tmp)).isEqualTo("rw-------");
    }

    @Test
    void anExistingFileWithWiderPermissionsIsReplacedByAPrivateOne() throws IOException {
        Path file = root.resolve("demo.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        DataDir.writePrivate(file, "new");

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(permissions(file)).isEqualTo("rw-------");
        try (var siblings = Files.list(root)) {
            assertThat(siblings).containsExactly(file);
        }
    }

    @Test
    void aFileOrLinkLeftAtTheOldTemporaryNameIsNeverWrittenThrough() throws IOException {
        Path elsewhere = root.resolve("world-readable.txt");
        Files.writeString(elsewhere, "untouched");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-r--r--"));
        Path file = root.resolve("admin-token");
        Files.createSymbolicLink(root.resolve("admin-token.tmp"), elsewhere);

        DataDir.writePrivate(file, "s3cret-value");

        assertThat(Files.readString(elsewhere, StandardCharsets.UTF_8)).isEqualTo("untouched");
        assertThat(Files.isSymbolicLink(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("s3cret-value");
        assertThat(permissions(file)).isEqualTo("rw-------");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
