package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.metawebhooks.MetaApp;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.TestDatabase;
import com.replyhero.whatsapp.web.AdminTokenFilter;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway against a stand-in for Meta on 127.0.0.1 (RH_GRAPH_URL) that answers as told, with an org whose
 * customer wrote in. Only Meta is replaced; the gateway and PostgreSQL are real.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "rh.demo.enabled=false",
            "rh.graph.request-timeout=2s",
            "rh.outbox.poll-interval=100ms",
            "rh.outbox.sweep-interval=200ms",
            "rh.outbox.claim-lease=2s",
            "rh.egress.allow-loopback=true"
        })
abstract class StandInMetaTest {

    /**
     * What the stand-in answers next to the running test's sends: each call takes the head of the script, then "ok". A mode written
     * {@code hook:<mode>} first runs {@link #DURING_CALL} with the request body (Meta has the message then).
     */
    static final ConcurrentLinkedQueue<String> SCRIPT = new ConcurrentLinkedQueue<>();

    /** What the stand-in answers to the next template listings ({@code GET /{wabaId}/message_templates}). */
    static final ConcurrentLinkedQueue<String> TEMPLATES_SCRIPT = new ConcurrentLinkedQueue<>();

    static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();
    static final AtomicReference<Consumer<String>> DURING_CALL = new AtomicReference<>(body -> {});
    /** Started once for the JVM: the application context, cached across the test classes, keeps its address. */
    static final AtomicReference<HttpServer> META = new AtomicReference<>();

    /** The number of the running test's customer. */
    static volatile String currentPhone;

    private static final Pattern CALLBACK_ID = Pattern.compile("\"biz_opaque_callback_data\":\"([^\"]+)\"");

    static HttpServer meta() {
        return META.updateAndGet(existing -> existing != null ? existing : startMeta());
    }

    private static HttpServer startMeta() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                RECEIVED.add(body);
                // only the running test's sends follow the script: a retry left over from an earlier test gets "ok"
                String current = currentPhone;
                String mode = current != null && body.contains("\"" + current + "\"") ? SCRIPT.poll() : null;
                if (exchange.getRequestURI().getPath().endsWith("/message_templates")) {
                    mode = TEMPLATES_SCRIPT.poll();
                }
                if (mode != null && mode.startsWith("hook:")) {
                    DURING_CALL.get().accept(body);
                    mode = mode.substring("hook:".length());
                }
                int status = 200;
                String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"1\",\"wa_id\":\"1\"}],"
                        + "\"messages\":[{\"id\":\"wamid.fake"
                        + ThreadLocalRandom.current().nextInt(1_000_000) + "\"}]}";
                if ("throttle".equals(mode)) {
                    status = 400;
                    answer = "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\","
                            + "\"code\":130429,\"fbtrace_id\":\"x\"}}";
                } else if ("unavailable".equals(mode)) {
                    status = 503;
                    answer = "{\"error\":{\"message\":\"(#2) Service temporarily unavailable\","
                            + "\"type\":\"OAuthException\",\"code\":2,\"fbtrace_id\":\"x\"}}";
                } else if ("somethingWentWrong".equals(mode)) {
                    status = 500;
                    answer = "{\"error\":{\"message\":\"(#131000) Something went wrong\",\"type\":\"OAuthException\","
                            + "\"code\":131000,\"fbtrace_id\":\"x\"}}";
                } else if ("token".equals(mode)) {
                    status = 401;
                    answer = "{\"error\":{\"message\":\"Invalid OAuth access token\",\"code\":190}}";
                } else if ("notjson".equals(mode)) {
                    answer = "<html><body>502 Bad Gateway</body></html>";
                } else if ("truncated".equals(mode)) {
                    answer = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.cut";
                } else if ("error200".equals(mode)) {
                    answer = "{\"error\":{\"message\":\"(#131026) Message undeliverable\",\"code\":131026}}";
                } else if ("huge".equals(mode)) {
                    answer = "{\"messages\":[{\"id\":\"wamid.huge\"}],\"pad\":\"" + "x".repeat(6_000_000) + "\"}";
                } else if ("cut".equals(mode)) {
                    // declares 500 bytes, sends 20 and hangs up
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 500);
                    exchange.getResponseBody().write("{\"messages\":[{\"id\":".getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                    exchange.close();
                    return;
                } else if ("hang".equals(mode)) {
                    pause(3000);
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("rh.data-dir", TestDatabase::dataDir);
        registry.add(
                "rh.graph.url", () -> "http://127.0.0.1:" + meta().getAddress().getPort());
    }

    @Autowired
    Environment environment;

    @Autowired
    AdminTokenFilter adminToken;

    @Autowired
    MetaApp metaApp;

    @Autowired
    JdbcClient db;

    Api api;
    String orgId;
    String userId;
    String apiKey;
    String customerId;
    String phoneNumberId;

    @BeforeEach
    void anOrgWithACustomerWhoWroteIn() {
        SCRIPT.clear();
        TEMPLATES_SCRIPT.clear();
        api = new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        orgId = api.post("/admin/orgs", Map.of("name", "upstream"), admin())
                .json()
                .get("id")
                .asString();
        phoneNumberId = "7" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
        api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of("phoneNumberId", phoneNumberId, "accessToken", "t"),
                admin());
        userId = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "u"), admin())
                .json()
                .get("id")
                .asString();
        apiKey = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of(), admin())
                .json()
                .get("key")
                .asString();
        String phone = "60" + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
        currentPhone = phone;
        signedWebhook("""
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"%s"},
                "messages":[{"from":"%s","id":"wamid.in%d","timestamp":"%d","type":"text","text":{"body":"hi"}}]}}]}]}""".formatted(
                        phoneNumberId, phone, System.nanoTime(), Instant.now().getEpochSecond()));
        customerId = api.get("/whatsapp/customers?phone=" + phone, "X-API-KEY", apiKey)
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
    }

    @AfterEach
    void noHook() {
        DURING_CALL.set(body -> {});
    }

    String[] admin() {
        return new String[] {"Authorization", "Bearer " + adminToken.token()};
    }

    Api.Response send(String text) {
        return api.post("/whatsapp/messages/send", sendRequest(text), "X-API-KEY", apiKey);
    }

    Api.Response send(String text, String idempotencyKey) {
        return api.post(
                "/whatsapp/messages/send", sendRequest(text), "X-API-KEY", apiKey, "Idempotency-Key", idempotencyKey);
    }

    private Map<String, Object> sendRequest(String text) {
        return Map.of(
                "message", Map.of("type", "text", "text", Map.of("body", text)),
                "sessionId", "s",
                "customerId", customerId,
                "userId", userId,
                "orgId", orgId);
    }

    JsonNode get(String id) {
        return api.get("/whatsapp/messages/" + id, "X-API-KEY", apiKey).json();
    }

    String phoneNumberIdOfOrg() {
        return api.get("/admin/orgs/" + orgId + "/channel", admin())
                .json()
                .get("phoneNumberId")
                .asString();
    }

    /** How many calls the stand-in received for the message with this gateway id. */
    static long callsFor(String messageId) {
        return RECEIVED.stream()
                .filter(b -> b.contains("\"" + messageId + "\""))
                .count();
    }

    /** Our message id, as the send's body carries it in {@code biz_opaque_callback_data}. */
    static String callbackId(String body) {
        Matcher m = CALLBACK_ID.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    /** Meta's status webhook for the message with our id {@code callbackId}, signed as Meta signs it. */
    void statusWebhook(String callbackId, String wamid, String status) {
        signedWebhook("""
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"%s"},
                "statuses":[{"id":"%s","status":"%s","timestamp":"1","biz_opaque_callback_data":"%s"}]}}]}]}""".formatted(phoneNumberId, wamid, status, callbackId));
    }

    void signedWebhook(String body) {
        Api.Response answer = api.send(api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .header(
                        MetaSignature.HEADER,
                        MetaSignature.sign(metaApp.appSecret(), body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.status()).isEqualTo(200);
    }

    static <T> T eventually(Supplier<T> value, Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        T last = value.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            pause(100);
            last = value.get();
        }
        return last;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
