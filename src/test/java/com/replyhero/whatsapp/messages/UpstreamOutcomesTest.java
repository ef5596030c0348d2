package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.TestDatabase;
import com.replyhero.whatsapp.web.AdminTokenFilter;
import com.replyhero.whatsapp.webhooks.MetaApp;
import com.replyhero.whatsapp.webhooks.MetaSignature;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The gateway against a stand-in for Meta on 127.0.0.1 (RH_GRAPH_URL) that answers as told: how each kind
 * of upstream outcome is stored and answered. Only Meta is replaced; the gateway and PostgreSQL are real.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"rh.demo.enabled=false", "rh.graph.request-timeout=1s", "rh.outbox.poll-interval=100ms"})
class UpstreamOutcomesTest {

    /** What the stand-in answers next: each call takes the head of the script, then "ok". */
    static final ConcurrentLinkedQueue<String> SCRIPT = new ConcurrentLinkedQueue<>();

    static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();
    static final AtomicReference<HttpServer> META = new AtomicReference<>();

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
                String mode = SCRIPT.poll();
                int status = 200;
                String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"1\",\"wa_id\":\"1\"}],"
                        + "\"messages\":[{\"id\":\"wamid.fake"
                        + ThreadLocalRandom.current().nextInt(1_000_000) + "\"}]}";
                if ("throttle".equals(mode)) {
                    status = 400;
                    answer = "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\","
                            + "\"code\":130429,\"fbtrace_id\":\"x\"}}";
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
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
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

    @AfterAll
    static void stopMeta() {
        HttpServer server = META.getAndSet(null);
        if (server != null) {
            server.stop(0);
        }
    }

    @Autowired
    Environment environment;

    @Autowired
    AdminTokenFilter adminToken;

    @Autowired
    MetaApp metaApp;

    Api api;
    String orgId;
    String userId;
    String apiKey;
    String customerId;

    @BeforeEach
    void anOrgWithACustomerWhoWroteIn() {
        SCRIPT.clear();
        api = new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"));
        String[] admin = {"Authorization", "Bearer " + adminToken.token()};
        orgId = api.post("/admin/orgs", Map.of("name", "upstream"), admin)
                .json()
                .get("id")
                .asString();
        String phoneNumberId = "7" + ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L);
        api.put("/admin/orgs/" + orgId + "/channel", Map.of("phoneNumberId", phoneNumberId, "accessToken", "t"), admin);
        userId = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "u"), admin)
                .json()
                .get("id")
                .asString();
        apiKey = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of(), admin)
                .json()
                .get("key")
                .asString();
        String phone = "60" + ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999);
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

    @Test
    void aThrottledSendIsQueuedWith202AndSentByTheQueue() {
        SCRIPT.add("throttle");

        Api.Response answer = send("queued please");

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().get("status").asString()).isEqualTo("queued");
        String id = answer.json().get("id").asString();
        JsonNode later =
                eventually(() -> get(id), m -> m.get("status").asString().equals("accepted"));
        assertThat(later.get("wamid").asString()).startsWith("wamid.fake");
        assertThat(callsFor(id)).isEqualTo(2);
    }

    @Test
    void noAnswerIs504OutcomeUnknownAndIsNeverRetriedBlindly() throws InterruptedException {
        SCRIPT.add("hang");

        Api.Response answer = send("did it go?");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
        String id = answer.json().get("messageId").asString();
        assertThat(get(id).get("status").asString()).isEqualTo("unknown");
        Thread.sleep(1500);
        assertThat(callsFor(id)).isEqualTo(1);

        signedWebhook("""
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"%s"},
                "statuses":[{"id":"wamid.late","status":"sent","timestamp":"1","biz_opaque_callback_data":"%s"}]}}]}]}""".formatted(phoneNumberIdOfOrg(), id));
        assertThat(get(id).get("status").asString()).isEqualTo("sent");
        assertThat(get(id).get("wamid").asString()).isEqualTo("wamid.late");
    }

    @Test
    void anUpstreamAnsweringGarbageGivesAClearUpstreamErrorAndStoresNoWamid() {
        for (String mode : new String[] {"notjson", "truncated", "cut", "huge", "error200"}) {
            SCRIPT.add(mode);

            Api.Response answer = send("garbage " + mode);

            assertThat(answer.status()).as(mode + ": " + answer.text()).isBetween(400, 599);
            assertThat(answer.json().get("code").asString()).as(mode).isNotBlank();
            assertThat(answer.json().get("message").asString()).as(mode).isNotBlank();
            String id = answer.json().get("messageId").asString();
            JsonNode stored = get(id);
            assertThat(stored.get("status").asString()).as(mode).isIn("unknown", "failed");
            assertThat(stored.path("wamid").isMissingNode()
                            || stored.get("wamid").isNull())
                    .as(mode + ": " + stored)
                    .isTrue();
            if (!mode.equals("error200")) {
                // a 200 the gateway cannot read may have been sent: outcome unknown, never retried blindly
                assertThat(answer.status()).as(mode).isEqualTo(504);
                assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
            }
        }
    }

    @Test
    void aRefusedTokenIs502AndTheMessageFails() {
        SCRIPT.add("token");

        Api.Response answer = send("nope");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().get("code").asString()).isEqualTo("upstream_unauthorized");
        assertThat(answer.json().get("upstream").get("code").asInt()).isEqualTo(190);
        assertThat(get(answer.json().get("messageId").asString()).get("status").asString())
                .isEqualTo("failed");
    }

    @Test
    void theSandboxIsOffWhenAnotherUpstreamIsConfigured() {
        Api.Response sandbox = api.post("/sandbox/customers/60123456789/messages", Map.of("text", "hi"));

        assertThat(sandbox.status()).isEqualTo(404);
    }

    private Api.Response send(String text) {
        return api.post(
                "/whatsapp/messages/send",
                Map.of(
                        "message", Map.of("type", "text", "text", Map.of("body", text)),
                        "sessionId", "s",
                        "customerId", customerId,
                        "userId", userId,
                        "orgId", orgId),
                "X-API-KEY",
                apiKey);
    }

    private JsonNode get(String id) {
        return api.get("/whatsapp/messages/" + id, "X-API-KEY", apiKey).json();
    }

    private String phoneNumberIdOfOrg() {
        return api.get("/admin/orgs/" + orgId + "/channel", "Authorization", "Bearer " + adminToken.token())
                .json()
                .get("phoneNumberId")
                .asString();
    }

    private long callsFor(String messageId) {
        return RECEIVED.stream()
                .filter(b -> b.contains("\"" + messageId + "\""))
                .count();
    }

    private void signedWebhook(String body) {
        Api.Response answer = api.send(api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .header(
                        MetaSignature.HEADER,
                        MetaSignature.sign(metaApp.appSecret(), body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.status()).isEqualTo(200);
    }

    private static JsonNode eventually(
            java.util.function.Supplier<JsonNode> value, java.util.function.Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        JsonNode last = value.get();
        while (!done.test(last) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            last = value.get();
        }
        return last;
    }
}
