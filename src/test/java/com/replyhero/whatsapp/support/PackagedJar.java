package com.replyhero.whatsapp.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged jar (system property {@code gateway.jar}, set by failsafe) run as a new user runs it: its own
 * process, embedded PostgreSQL in the given data directory, the log in {@code gateway.log} there.
 */
public final class PackagedJar {

    private PackagedJar() {}

    /** Starts the jar on {@code port}; {@code jvmOptions} go before {@code -jar} (-D...), {@code args} after it. */
    public static Process start(Path dataDir, int port, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(System.getProperty("gateway.jar", "target/rh-whatsapp-api.jar"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(dataDir).toFile()));
        builder.environment().put("RH_DATA_DIR", dataDir.toString());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().remove("SPRING_DATASOURCE_URL");
        builder.environment().remove("RH_GRAPH_URL");
        return builder.start();
    }

    public static Path log(Path dataDir) {
        return dataDir.resolve("gateway.log");
    }

    /** Waits (up to two minutes) until /actuator/health answers 200; fails if the process exits first. */
    public static void awaitHealthy(Process gateway, Api api) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            assertThat(gateway.isAlive()).as("the gateway exited early").isTrue();
            try {
                if (api.get("/actuator/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the gateway did not become healthy in time");
    }

    public static void awaitFile(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(file) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(file).exists();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
