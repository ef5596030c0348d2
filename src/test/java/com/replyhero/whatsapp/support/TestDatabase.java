package com.replyhero.whatsapp.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PostgreSQL the tests run against: {@code RH_TEST_DATABASE_URL} (with RH_TEST_DATABASE_USER and
 * RH_TEST_DATABASE_PASSWORD) when set, otherwise one embedded server for the whole test JVM.
 */
public final class TestDatabase {

    private static EmbeddedPostgres embedded;
    private static Path dataDir;

    private TestDatabase() {}

    public static synchronized String url() {
        String configured = System.getenv("RH_TEST_DATABASE_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (embedded == null) {
            try {
                // fsync off (speed), but commits as in production: synchronous unless a write relaxes its own
                embedded = EmbeddedPostgres.builder()
                        .setServerConfig("synchronous_commit", "on")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    public static String user() {
        String user = System.getenv("RH_TEST_DATABASE_USER");
        return user == null || user.isBlank() ? "postgres" : user;
    }

    public static String password() {
        String password = System.getenv("RH_TEST_DATABASE_PASSWORD");
        return password == null ? "" : password;
    }

    /** One data directory (secrets, sandbox state) for the test JVM. */
    public static synchronized String dataDir() {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("rh-test-data");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDir.toString();
    }
}
