package com.replyhero.whatsapp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/rh-whatsapp-api.jar} of the root project) with its embedded defaults: its
 * own PostgreSQL and the sandbox in a fresh data directory, on a free port of 127.0.0.1, and the demo organization
 * it creates on its first start. Stopped by its process handle (SIGTERM, then SIGKILL after the shutdown bound).
 */
final class PackagedGateway implements AutoCloseable {

    static final Duration START_BOUND = Duration.ofSeconds(180);

    final String baseUrl;
    final JsonNode demo;
    private final Process process;

    private PackagedGateway(String baseUrl, JsonNode demo, Process process) {
        this.baseUrl = baseUrl;
        this.demo = demo;
        this.process = process;
    }

    static PackagedGateway start() throws Exception {
        Path jar = Path.of(System.getProperty("gateway.jar", "../../target/rh-whatsapp-api.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no gateway jar at " + jar.toAbsolutePath() + ": run ./mvnw package at the repository root first");
        }
        Path dir = Files.createDirectories(Path.of("target", "gateway-" + System.currentTimeMillis()));
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(
                        java,
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--server.address=127.0.0.1",
                        "--server.port=" + port,
                        "--rh.data-dir=" + dir.resolve("data").toAbsolutePath()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile())
                .start();
        String baseUrl = "http://127.0.0.1:" + port;
        try {
            awaitReady(baseUrl, process, dir.resolve("gateway.log"));
            JsonNode demo = new ObjectMapper().readTree(dir.resolve("data/demo.json").toFile());
            return new PackagedGateway(baseUrl, demo, process);
        } catch (Exception | Error e) {
            stop(process);
            throw e;
        }
    }

    /** A client of the demo organization: every request carries its API key. */
    ApiClient demoClient() {
        String key = demo.get("apiKey").asText();
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl);
        return client.setRequestInterceptor(request -> request.header("X-API-KEY", key))
                .setReadTimeout(Duration.ofSeconds(30));
    }

    String demo(String field) {
        return demo.get(field).asText();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitReady(String baseUrl, Process process, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_BOUND);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited (" + process.exitValue() + "); see " + log);
            }
            try {
                HttpResponse<Void> ready = http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the gateway was not ready within " + START_BOUND + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
