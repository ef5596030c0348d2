package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Real processes for a fault scenario, all on 127.0.0.1: PostgreSQL, the sandbox as its own process
 * ({@code --sandbox-only}) and gateway nodes from the packaged jar. Everything it starts it stops by its
 * own handle ({@link #close()}), never by name.
 */
final class FaultRig implements AutoCloseable {

    static final String ADMIN_TOKEN = "faults-admin-token-" + System.nanoTime();
    static final String APP_SECRET = "faults-app-secret";
    static final String SECRETS_KEY = randomSecretsKey();

    private static String randomSecretsKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    static final String SANDBOX_TOKEN = "faults-sandbox-token";
    static final String[] ADMIN = {"Authorization", "Bearer " + ADMIN_TOKEN};

    /** A gateway process and its API. */
    record Node(String name, int port, Api api, Process process) {}

    /** An org of the scenario: its ids, API key and business number. */
    record Org(String orgId, String userId, String key, String phoneNumberId) {
        String[] keyHeader() {
            return new String[] {"X-API-KEY", key};
        }
    }

    final Path dir;
    final Api sandbox;
    final int sandboxPort;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final EmbeddedPostgres postgres;
    private final List<Process> processes = new ArrayList<>();
    private int started;
    final List<String> gatewayArgs = new ArrayList<>();
    private final Map<String, String> gatewayEnvironment = new HashMap<>();
    private org.gaul.s3proxy.S3Proxy s3;

    private FaultRig(Path dir, EmbeddedPostgres postgres, String jdbcUrl, String jdbcUser, int sandboxPort) {
        this.dir = dir;
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.sandboxPort = sandboxPort;
        this.sandbox = new Api("http://127.0.0.1:" + sandboxPort);
    }

    /** PostgreSQL (embedded, its own server), and the sandbox sending its webhooks to {@code webhookTargets}. */
    static FaultRig start(String scenario, int... gatewayPorts) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        return start(scenario, postgres, postgres.getJdbcUrl("postgres", "postgres"), "postgres", gatewayPorts);
    }

    static FaultRig start(
            String scenario, EmbeddedPostgres postgres, String jdbcUrl, String jdbcUser, int... gatewayPorts)
            throws Exception {
        Path dir = Files.createTempDirectory("rh-faults-" + scenario);
        FaultRig rig = new FaultRig(dir, postgres, jdbcUrl, jdbcUser, freePort());
        List<String> sandboxArgs = new ArrayList<>(List.of(
                "--sandbox-only",
                "--server.port=" + rig.sandboxPort,
                "--rh.data-dir=" + dir.resolve("sandbox-data"),
                "--rh.sandbox.access-token=" + SANDBOX_TOKEN,
                "--rh.sandbox.status-delay=20ms",
                "--rh.sandbox.webhook-url=http://127.0.0.1:" + gatewayPorts[0] + "/webhooks/meta"));
        rig.spawn("sandbox", sandboxArgs);
        awaitUp(rig.sandbox, "/sandbox/ledger", Duration.ofSeconds(120));
        return rig;
    }

    /**
     * An S3-compatible bucket for the nodes started from now on ({@code rh.media.store=s3}): s3proxy in this JVM on
     * a transient store, so that the nodes share no disk (each keeps its own data directory).
     */
    void mediaInS3() throws Exception {
        String identity = "faults";
        String credential = "faults-s3-secret-" + System.nanoTime();
        org.jclouds.blobstore.BlobStoreContext blobs = org.jclouds.ContextBuilder.newBuilder("transient")
                .credentials(identity, credential)
                .build(org.jclouds.blobstore.BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "rh-media");
        s3 = org.gaul.s3proxy.S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(java.net.URI.create("http://127.0.0.1:0"))
                .awsAuthentication(org.gaul.s3proxy.AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
        s3.start();
        await(() -> s3.getState().equals("STARTED"), Duration.ofSeconds(30), "s3proxy started");
        gatewayEnvironment.put("RH_MEDIA_STORE", "s3");
        gatewayEnvironment.put("RH_MEDIA_KEEP_OUTBOUND", "true");
        gatewayEnvironment.put("RH_MEDIA_S3_ENDPOINT", "http://127.0.0.1:" + s3.getPort());
        gatewayEnvironment.put("RH_MEDIA_S3_BUCKET", "rh-media");
        gatewayEnvironment.put("RH_MEDIA_S3_PATH_STYLE", "true");
        gatewayEnvironment.put("RH_MEDIA_S3_ACCESS_KEY", identity);
        gatewayEnvironment.put("RH_MEDIA_S3_SECRET_KEY", credential);
    }

    /** A customer of the org sends {@code image} (a PNG) through the sandbox; answers its media id. */
    String customerSendsImage(Node node, Org org, String phone, byte[] image) {
        Api.Response wrote = sandbox.post(
                "/sandbox/customers/" + phone + "/messages",
                Map.of(
                        "type",
                        "image",
                        "image",
                        Map.of(
                                "mime_type",
                                "image/png",
                                "data",
                                java.util.Base64.getEncoder().encodeToString(image)),
                        "phoneNumberId",
                        org.phoneNumberId()));
        assertThat(wrote.status()).as(wrote.text()).isEqualTo(200);
        String customerId = node.api()
                .get("/whatsapp/customers?phone=" + phone, org.keyHeader())
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        return node.api()
                .get("/whatsapp/messages?limit=1&customerId=" + customerId, org.keyHeader())
                .json()
                .get("data")
                .get(0)
                .get("mediaId")
                .asString();
    }

    /** The bytes of a customer's medium as a node serves them, or null while it answers anything but 200. */
    byte[] media(Node node, Org org, String mediaId) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<byte[]> answer = http.send(
                    node.api()
                            .request("/whatsapp/media/" + mediaId, org.keyHeader())
                            .GET()
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a gateway node on {@code port} and waits until it is ready. */
    Node gateway(String name, int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--rh.data-dir=" + dir.resolve("gateway-data-" + port),
                "--rh.demo.enabled=false",
                "--rh.graph.url=http://127.0.0.1:" + sandboxPort + "/sandbox/graph",
                "--rh.graph.request-timeout=3s",
                "--rh.outbox.lease-margin=5s",
                "--rh.outbox.poll-interval=200ms",
                "--rh.outbox.unknown-deadline=15s",
                "--rh.outbox.sweep-interval=500ms",
                "--rh.outbox.max-attempts=30",
                "--rh.broadcasts.claim-lease=3s",
                "--rh.broadcasts.max-in-flight=32",
                "--rh.rate-limit.per-key-per-second=0",
                "--rh.events.backoff-base=200ms",
                "--rh.shutdown.drain=500ms",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + jdbcUser,
                "--spring.datasource.password="));
        args.addAll(gatewayArgs);
        args.addAll(List.of(extra));
        Process process = spawn(name + "-" + (++started), overriding(args));
        Api api = new Api("http://127.0.0.1:" + port);
        await(
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + ": see " + dir);
                    }
                    try {
                        return api.get("/actuator/health/readiness").status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(120),
                name + " ready");
        return new Node(name, port, api, process);
    }

    /** The arguments, a later {@code --name=value} replacing an earlier one of that name (Spring would join them). */
    private static List<String> overriding(List<String> args) {
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            byName.put(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg, arg);
        }
        return new ArrayList<>(byName.values());
    }

    /** {@code kill -9}: no shutdown hook, no drain, the in-flight work is cut where it is. */
    void kill(Node node) throws InterruptedException {
        node.process().destroyForcibly().waitFor();
    }

    Org anOrg(Node node, int throughput) {
        Api api = node.api();
        String orgId = api.post("/admin/orgs", Map.of("name", "Faults " + System.nanoTime()), ADMIN)
                .json()
                .get("id")
                .asString();
        String phoneNumberId = "1" + String.format("%014d", System.nanoTime() % 100_000_000_000_000L);
        Api.Response channel = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of(
                        "phoneNumberId",
                        phoneNumberId,
                        "wabaId",
                        "200000000000009",
                        "accessToken",
                        SANDBOX_TOKEN,
                        "throughputPerSecond",
                        throughput),
                ADMIN);
        assertThat(channel.status()).as(channel.text()).isEqualTo(200);
        String userId = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "Agent"), ADMIN)
                .json()
                .get("id")
                .asString();
        String key = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of("name", "faults"), ADMIN)
                .json()
                .get("key")
                .asString();
        return new Org(orgId, userId, key, phoneNumberId);
    }

    /** {@code n} customers of the org, numbers from {@code firstPhone} on, written straight into the database. */
    void insertCustomers(Org org, long firstPhone, int n) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        INSERT INTO customers (org_id, id, phone)
                        SELECT ?, 'c' || lpad(g::text, 6, '0'), (? + g)::text FROM generate_series(0, ? - 1) g
                        """)) {
            s.setString(1, org.orgId());
            s.setLong(2, firstPhone);
            s.setInt(3, n);
            s.executeUpdate();
        }
    }

    /** Customers who wrote in through the sandbox (their window is open), by id. */
    List<String> customersWhoWroteIn(Node node, Org org, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String phone =
                    Long.toString(61_200_000_000L + i + Math.abs(org.orgId().hashCode() % 1000) * 1000L);
            Api.Response wrote = sandbox.post(
                    "/sandbox/customers/" + phone + "/messages",
                    Map.of("text", "hi", "phoneNumberId", org.phoneNumberId()));
            assertThat(wrote.status()).as(wrote.text()).isEqualTo(200);
            JsonNode customers = node.api()
                    .get("/whatsapp/customers?phone=" + phone, org.keyHeader())
                    .json();
            ids.add(customers.get("data").get(0).get("id").asString());
        }
        return ids;
    }

    /** Starts a template send to every customer of the org; answers the broadcast's location. */
    String broadcast(Node node, Org org) throws InterruptedException {
        Api.Response accepted = startBroadcast(node, org);
        // a loaded machine can make the template lookup time out: 503 template_lookup_failed, nothing sent
        for (int retry = 0; accepted.status() == 503 && retry < 5; retry++) {
            Thread.sleep(2_000);
            accepted = startBroadcast(node, org);
        }
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        return accepted.header("Location");
    }

    private Api.Response startBroadcast(Node node, Org org) {
        return node.api()
                .post(
                        "/whatsapp/template/send",
                        Map.of(
                                "templateName", "hello_world",
                                "sessionId", "faults",
                                "orgId", org.orgId(),
                                "userId", org.userId(),
                                "components", List.of()),
                        org.keyHeader()[0],
                        org.key(),
                        "Prefer",
                        "respond-async");
    }

    /** The scenario's outbound messages as the gateway stored them, by id. */
    Map<String, Accounting.Stored> stored(Org... orgs) throws SQLException {
        Map<String, Accounting.Stored> stored = new HashMap<>();
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT id, status, error_code, unknown_at IS NOT NULL AS was_unknown, broadcast_id, attempts,
                               attempted_at
                          FROM messages
                         WHERE org_id = ? AND message_type <> 'user'
                        """)) {
            for (Org org : orgs) {
                s.setString(1, org.orgId());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        stored.put(
                                rs.getString("id"),
                                new Accounting.Stored(
                                        rs.getString("status"),
                                        rs.getString("error_code"),
                                        rs.getBoolean("was_unknown"),
                                        rs.getString("broadcast_id"),
                                        rs.getInt("attempts"),
                                        rs.getTimestamp("attempted_at") == null
                                                ? null
                                                : rs.getTimestamp("attempted_at")
                                                        .toInstant()));
                    }
                }
            }
        }
        return stored;
    }

    /** How many of the org's outbound messages have an outcome (neither queued, sending nor unknown). */
    long settled(Org org) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT count(*) FROM messages
                         WHERE org_id = ? AND message_type <> 'user' AND status NOT IN ('queued', 'sending', 'unknown')
                        """)) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many of the orgs' outbound messages have no final outcome yet (queued, sending, unknown). */
    long unsettled(Org... orgs) throws SQLException {
        long n = 0;
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT count(*) FROM messages
                         WHERE org_id = ? AND message_type <> 'user' AND status IN ('queued', 'sending', 'unknown')
                        """)) {
            for (Org org : orgs) {
                s.setString(1, org.orgId());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
        }
        return n;
    }

    /**
     * How many of the org's single sends wait in the retry queue: queued, or taken from it and {@code sending}
     * again (a first attempt, made while the client waits, is {@code sending} with one attempt).
     */
    long retryQueue(Org org) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT count(*) FROM messages
                         WHERE org_id = ? AND message_type <> 'user' AND broadcast_id IS NULL
                           AND (status = 'queued' OR (status = 'sending' AND attempts > 1))
                        """)) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How many of the org's single sends are being retried right now: taken from the retry queue, leased. */
    long retrying(Org org) throws SQLException {
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT count(*) FROM messages
                         WHERE org_id = ? AND message_type <> 'user' AND broadcast_id IS NULL
                           AND status = 'sending' AND attempts > 1 AND lease_until > now()
                        """)) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * When the gateway first reported each of the org's messages {@code failed}, by id: the earliest {@code
     * message.status} event saying so (stored in the transaction of the change), or the message's own row when
     * it is {@code failed} now.
     */
    Map<String, Instant> reportedFailedAt(Org org) throws SQLException {
        Map<String, Instant> failedAt = new HashMap<>();
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT payload -> 'data' ->> 'id' AS id, min(created_at) AS at
                          FROM org_events
                         WHERE org_id = ? AND type = 'message.status' AND payload -> 'data' ->> 'status' = 'failed'
                         GROUP BY 1
                        UNION ALL
                        SELECT id, updated_at FROM messages WHERE org_id = ? AND status = 'failed'
                        """)) {
            s.setString(1, org.orgId());
            s.setString(2, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    failedAt.merge(
                            rs.getString("id"), rs.getTimestamp("at").toInstant(), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        return failedAt;
    }

    /**
     * When the sandbox received each of the org's messages (its connector started reading the request), by
     * gateway message id: every time it accepted one, from its latest accepted messages per customer.
     */
    Map<String, List<Instant>> receivedAt(Org org) throws SQLException {
        List<String> phones = new ArrayList<>();
        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement("SELECT phone FROM customers WHERE org_id = ?")) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    phones.add(rs.getString(1));
                }
            }
        }
        Map<String, List<Instant>> received = new HashMap<>();
        for (String phone : phones) {
            JsonNode messages =
                    sandbox.get("/sandbox/messages?limit=1000&to=" + phone).json();
            assertThat(messages.size())
                    .as("the sandbox lists at most 1,000 messages per customer: too many to " + phone)
                    .isLessThan(1000);
            for (JsonNode m : messages) {
                String id = m.path("callbackData").asString(null);
                if (id != null && m.path("phoneNumberId").asString().equals(org.phoneNumberId())) {
                    JsonNode at = m.get("at");
                    Instant instant = at.isNumber()
                            ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1000))
                            : Instant.parse(at.asString());
                    received.computeIfAbsent(id, k -> new ArrayList<>()).add(instant);
                }
            }
        }
        return received;
    }

    /** The sandbox's ground truth: for each gateway message id, how many times it accepted it. */
    Map<String, Long> ledger() {
        Map<String, Long> counts = new HashMap<>();
        JsonNode messages = sandbox.get("/sandbox/ledger/messages").json().get("messages");
        for (Iterator<Map.Entry<String, JsonNode>> it = messages.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return counts;
    }

    /** For each gateway message id, how many of its sends reached the sandbox (read in full), whatever it answered. */
    Map<String, Long> tried() {
        Map<String, Long> counts = new HashMap<>();
        JsonNode received = sandbox.get("/sandbox/ledger/messages").json().get("received");
        received.propertyNames().forEach(id -> counts.put(id, received.get(id).asLong()));
        return counts;
    }

    Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, jdbcUser, "");
    }

    private Process spawn(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                System.getProperty("gateway.jar")));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("RH_ADMIN_TOKEN", ADMIN_TOKEN);
        builder.environment().put("RH_META_APP_SECRET", APP_SECRET);
        // every node of one deployment seals and opens channel tokens under the same key (README, more than one node)
        builder.environment().put("RH_SECRETS_KEY", SECRETS_KEY);
        builder.environment().put("RH_EGRESS_ALLOW_LOOPBACK", "true");
        builder.environment().remove("RH_GRAPH_URL");
        builder.environment().putAll(gatewayEnvironment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        if (s3 != null) {
            try {
                s3.stop();
            } catch (Exception e) {
                throw new IOException("s3proxy did not stop", e);
            }
        }
    }

    static void awaitUp(Api api, String path, Duration timeout) throws InterruptedException {
        await(
                () -> {
                    try {
                        return api.get(path).status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                timeout,
                path);
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
