package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The packaged gateway killed with {@code kill -9} in the middle of a 20,000-recipient broadcast, then
 * restarted: the broadcast completes, and the sandbox (a separate process, the ground truth) accepted no
 * recipient twice. A recipient can only miss its message when the gateway died after marking it
 * {@code sending} and before its call left: such a recipient is reported, never silently lost or re-sent.
 */
class BroadcastKillIT {

    private static final int RECIPIENTS = 20_000;
    private static final int MAX_IN_FLIGHT = 32;
    private static final String ADMIN_TOKEN = "it-admin-token-" + System.nanoTime();
    private static final String APP_SECRET = "it-app-secret";
    private static final String SANDBOX_TOKEN = "it-sandbox-token";

    private final List<Process> processes = new ArrayList<>();
    private EmbeddedPostgres postgres;

    @AfterEach
    void stop() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aBroadcastResumesAfterKill9AndNoRecipientIsSentTwice() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Path dir = Files.createTempDirectory("rh-broadcast-it");
        int sandboxPort = freePort();
        int gatewayPort = freePort();
        Api sandbox = new Api("http://127.0.0.1:" + sandboxPort);
        Api gateway = new Api("http://127.0.0.1:" + gatewayPort);
        start(dir, "sandbox", sandboxArgs(dir, sandboxPort, gatewayPort));
        awaitHealthy(sandbox, "/sandbox/ledger");
        Process first = start(dir, "gateway-1", gatewayArgs(dir, gatewayPort, sandboxPort));
        awaitHealthy(gateway, "/actuator/health");
        String[] admin = {"Authorization", "Bearer " + ADMIN_TOKEN};
        String orgId = gateway.post("/admin/orgs", Map.of("name", "Kill test"), admin)
                .json()
                .get("id")
                .asString();
        String phoneNumberId = "1" + System.nanoTime() % 100_000_000_000_000L;
        Api.Response channel = gateway.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of(
                        "phoneNumberId",
                        phoneNumberId,
                        "wabaId",
                        "200000000000009",
                        "accessToken",
                        SANDBOX_TOKEN,
                        "throughputPerSecond",
                        1000),
                admin);
        assertThat(channel.status()).as(channel.text()).isEqualTo(200);
        String userId = gateway.post("/admin/orgs/" + orgId + "/users", Map.of("name", "Agent"), admin)
                .json()
                .get("id")
                .asString();
        String key = gateway.post("/admin/orgs/" + orgId + "/api-keys", Map.of("name", "it"), admin)
                .json()
                .get("key")
                .asString();
        insertCustomers(orgId);

        Api.Response accepted = gateway.post(
                "/whatsapp/template/send",
                Map.of(
                        "templateName",
                        "hello_world",
                        "sessionId",
                        "SESSION_ID",
                        "orgId",
                        orgId,
                        "userId",
                        userId,
                        "components",
                        List.of()),
                "X-API-KEY",
                key);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String broadcast = accepted.header("Location");
        await(() -> accepted(sandbox) >= RECIPIENTS / 4, Duration.ofSeconds(90));
        first.destroyForcibly().waitFor();
        long atKill = accepted(sandbox);
        start(dir, "gateway-2", gatewayArgs(dir, gatewayPort, sandboxPort));
        awaitHealthy(gateway, "/actuator/health");
        await(
                () -> gateway.get(broadcast, "X-API-KEY", key)
                        .json()
                        .get("status")
                        .asString()
                        .equals("completed"),
                Duration.ofSeconds(150));

        JsonNode progress = gateway.get(broadcast, "X-API-KEY", key).json();
        JsonNode recipients = sandbox.get("/sandbox/ledger/recipients").json();
        long unknown = countMessages(orgId, "status = 'failed' AND error_code = 'outcome_unknown'");
        long lost = lostWithoutSend(orgId, sandbox);
        System.out.printf(
                "kill -9 after %d of %d accepted; after restart: %s; sandbox: %s; outcome unknown: %d, of which the"
                        + " sandbox never saw %d%n",
                atKill, RECIPIENTS, progress, recipients, unknown, lost);
        assertThat(atKill).isLessThan(RECIPIENTS);
        assertThat(progress.get("total").asInt()).isEqualTo(RECIPIENTS);
        assertThat(recipients.get("recipientsWithMoreThanOne").asLong()).isZero();
        assertThat(sandbox.get("/sandbox/ledger")
                        .json()
                        .get("duplicatedMessageIds")
                        .asLong())
                .isZero();
        // every recipient got exactly one message, except those whose call the kill cut after the durable
        // "sending" mark: at most the sends in flight, each reported as failed with outcome_unknown
        assertThat(recipients.get("recipients").asLong()).isEqualTo(RECIPIENTS - lost);
        assertThat(lost).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        assertThat(progress.get("pending").asLong()).isZero();
        assertThat(progress.get("sent").asLong() + progress.get("failed").asLong())
                .isEqualTo(RECIPIENTS);
    }

    /** Unknown-outcome recipients the sandbox never saw (the kill cut their call before it left). */
    private long lostWithoutSend(String orgId, Api sandbox) throws Exception {
        long missing = 0;
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT cu.phone FROM messages m JOIN customers cu ON cu.org_id = m.org_id AND cu.id = m.customer_id
                         WHERE m.org_id = ? AND m.status = 'failed' AND m.error_code = 'outcome_unknown'""")) {
            s.setString(1, orgId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    JsonNode ledger =
                            sandbox.get("/sandbox/ledger?to=" + rs.getString(1)).json();
                    if (ledger.get("acceptedTo").asLong() == 0) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }

    private long countMessages(String orgId, String condition) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM messages WHERE org_id = ? AND " + condition)) {
            s.setString(1, orgId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void insertCustomers(String orgId) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement("""
                        INSERT INTO customers (org_id, id, phone)
                        SELECT ?, 'c' || lpad(g::text, 6, '0'), (60100000000 + g)::text FROM generate_series(1, ?) g
                        """)) {
            s.setString(1, orgId);
            s.setInt(2, RECIPIENTS);
            s.executeUpdate();
        }
    }

    private static long accepted(Api sandbox) {
        return sandbox.get("/sandbox/ledger").json().get("accepted").asLong();
    }

    private List<String> sandboxArgs(Path dir, int sandboxPort, int gatewayPort) {
        return List.of(
                "--sandbox-only",
                "--server.port=" + sandboxPort,
                "--rh.data-dir=" + dir.resolve("sandbox-data"),
                "--rh.sandbox.access-token=" + SANDBOX_TOKEN,
                "--rh.sandbox.status-webhooks=false",
                "--rh.sandbox.webhook-url=http://127.0.0.1:" + gatewayPort + "/webhooks/meta");
    }

    private List<String> gatewayArgs(Path dir, int gatewayPort, int sandboxPort) {
        return List.of(
                "--server.port=" + gatewayPort,
                "--rh.data-dir=" + dir.resolve("gateway-data"),
                "--rh.demo.enabled=false",
                "--rh.graph.url=http://127.0.0.1:" + sandboxPort + "/sandbox/graph",
                "--rh.graph.request-timeout=10s",
                "--rh.broadcasts.claim-lease=3s",
                "--rh.broadcasts.max-in-flight=" + MAX_IN_FLIGHT,
                "--rh.outbox.unknown-deadline=3s",
                "--rh.outbox.sweep-interval=500ms",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=");
    }

    private Process start(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                System.getProperty("gateway.jar")));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("RH_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("RH_META_APP_SECRET", APP_SECRET);
        builder.environment().remove("RH_GRAPH_URL");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static void awaitHealthy(Api api, String path) throws InterruptedException {
        await(
                () -> {
                    try {
                        return api.get(path).status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(120));
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
