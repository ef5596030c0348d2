package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.PackagedJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar started as a new user starts it (fresh data directory, embedded PostgreSQL, the demo org) on a
 * free port, healthy, with its {@code demo.json} read. Extra settings: {@code -Dname=value} go to the JVM,
 * {@code --name=value} to the application. {@link #close()} stops the process by its PID.
 */
final class RunningGateway implements AutoCloseable {

    private final long pid;
    private final Path dataDir;
    private final String baseUrl;
    private final JsonNode demo;

    private RunningGateway(long pid, Path dataDir, String baseUrl, JsonNode demo) {
        this.pid = pid;
        this.dataDir = dataDir;
        this.baseUrl = baseUrl;
        this.demo = demo;
    }

    static RunningGateway start(String... settings) throws IOException, InterruptedException {
        List<String> jvmOptions = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (String setting : settings) {
            if (setting.startsWith("-D")) {
                jvmOptions.add(setting);
            } else if (setting.startsWith("--")) {
                args.add(setting);
            } else {
                throw new IllegalArgumentException("a setting is -Dname=value or --name=value: " + setting);
            }
        }
        Path dataDir = Files.createTempDirectory("rh-console-it");
        int port = PackagedJar.freePort();
        String baseUrl = "http://127.0.0.1:" + port;
        Process process = PackagedJar.start(dataDir, port, jvmOptions, args);
        System.out.println(
                "the gateway: " + baseUrl + ", pid " + process.pid() + ", its log " + PackagedJar.log(dataDir));
        try {
            PackagedJar.awaitHealthy(process, new Api(baseUrl));
            Path demoFile = dataDir.resolve("demo.json");
            PackagedJar.awaitFile(demoFile);
            JsonNode demo = Api.json().readTree(Files.readString(demoFile));
            return new RunningGateway(process.pid(), dataDir, baseUrl, demo);
        } catch (RuntimeException | Error | InterruptedException | IOException failed) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "the gateway did not start (its log: " + PackagedJar.log(dataDir) + ")", failed);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    String baseUrl() {
        return baseUrl;
    }

    Api api() {
        return new Api(baseUrl);
    }

    Path dataDir() {
        return dataDir;
    }

    /** A field of {@code demo.json} as text; fails, naming the fields there are, when it is missing. */
    String demo(String field) {
        JsonNode value = demo.get(field);
        if (value == null || value.isNull()) {
            throw new AssertionError("demo.json has no " + field + "; it has " + demo.propertyNames());
        }
        return value.asString();
    }

    String orgId() {
        return demo("orgId");
    }

    String userId() {
        return demo("userId");
    }

    String customerId() {
        return demo("customerId");
    }

    String customerPhone() {
        return demo("customerPhone");
    }

    String apiKey() {
        return demo("apiKey");
    }

    String adminToken() {
        return demo("adminToken");
    }

    /** The demo user's one-time link to set a password (absolute: http://127.0.0.1:PORT/console/invite?token=...). */
    String consoleInviteUrl() {
        return demo("consoleInviteUrl");
    }

    String consoleEmail() {
        return demo("consoleEmail");
    }

    /**
     * SIGTERM (a graceful stop, so embedded PostgreSQL stops too), then SIGKILL after 60 s; then the data directory
     * goes (its database is some 100 MB) except the gateway's log.
     */
    @Override
    public void close() throws InterruptedException, IOException {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            handle.destroy();
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException stuck) {
                handle.destroyForcibly();
                handle.onExit().join();
            }
        }
        Path log = PackagedJar.log(dataDir);
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!file.equals(log) && !file.equals(dataDir)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
