package com.replyhero.whatsapp.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.web.AdminTokenFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The running gateway on a random port, on PostgreSQL, with the built-in sandbox as its upstream. Tests
 * call it over HTTP as users do; each test makes its own orgs, so tests share one application context.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "rh.demo.enabled=false",
            "rh.sandbox.status-delay=20ms",
            "rh.sandbox.template-review-delay=1s",
            "rh.webhooks.retry-interval=1s",
            "rh.events.backoff-base=100ms",
            "rh.media.inbound-max-size=16KB",
            "rh.secrets.previous-keys=" + GatewayTest.PREVIOUS_SECRETS_KEY
        })
public abstract class GatewayTest {

    /** A key the gateway was rotated away from: it still opens what it sealed (the current key is generated). */
    protected static final String PREVIOUS_SECRETS_KEY = "ylwLRPj0wN5aNEUtxSCtrV/F2MfmCZnJhkXCApPJxCA=";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add("spring.datasource.username", TestDatabase::user);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("rh.data-dir", TestDatabase::dataDir);
    }

    @Autowired
    protected Environment environment;

    @Autowired
    protected JdbcClient db;

    @Autowired
    protected com.replyhero.whatsapp.database.AsyncCommit asyncCommit;

    @Autowired
    private AdminTokenFilter adminTokenFilter;

    @Autowired
    protected SandboxAccount sandbox;

    protected Api api;

    @Autowired
    private com.replyhero.whatsapp.metawebhooks.MetaApp metaApp;

    @BeforeEach
    void connect() {
        SecretLedger.secret(adminTokenFilter.token());
        SecretLedger.secret(sandbox.accessToken());
        SecretLedger.secret(metaApp.appSecret());
        SecretLedger.secret(metaApp.verifyToken());
        api = new Api("http://127.0.0.1:" + environment.getProperty("local.server.port"));
    }

    /** The Authorization header of the operator's admin API, as name and value. */
    protected String[] admin() {
        return new String[] {"Authorization", "Bearer " + adminTokenFilter.token()};
    }

    /** A new org on its own sandbox number, with a user and an API key. */
    protected TestOrg anOrg() {
        Api.Response org = api.post("/admin/orgs", Map.of("name", "Org " + randomDigits(6)), admin());
        assertThat(org.status()).isEqualTo(201);
        String orgId = org.json().get("id").asString();
        String phoneNumberId = "1" + randomDigits(14);
        Api.Response channel = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of(
                        "phoneNumberId",
                        phoneNumberId,
                        "wabaId",
                        "2" + randomDigits(14),
                        "accessToken",
                        sandbox.accessToken()),
                admin());
        assertThat(channel.status()).isEqualTo(200);
        Api.Response user = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "Agent"), admin());
        Api.Response key = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of("name", "test"), admin());
        assertThat(key.status()).isEqualTo(201);
        return new TestOrg(
                orgId,
                user.json().get("id").asString(),
                key.json().get("key").asString(),
                phoneNumberId,
                channel.json().get("id").asString());
    }

    /** A console password that tests use for their users. */
    protected static final String CONSOLE_PASSWORD = "a long enough password";

    @Autowired
    private com.replyhero.whatsapp.console.Invitations invitations;

    /** A new user of the org with this role, signed in to the console (an invitation accepted over HTTP). */
    protected ConsoleSession aConsoleUser(TestOrg org, com.replyhero.whatsapp.orgs.UserAccounts.Role role) {
        String email = "user" + randomDigits(9) + "@example.com";
        var invited =
                invitations.invite(org.orgId(), "User " + email, email, role).orElseThrow();
        return ConsoleSession.accepting(api.baseUrl(), invited.path(), CONSOLE_PASSWORD)
                .as(invited.account().userId(), email);
    }

    /** A new org whose default number sends at most {@code rate} messages a second (its broadcasts' pace). */
    protected TestOrg anOrgSendingPerSecond(int rate) {
        TestOrg org = anOrg();
        Api.Response channel = api.put(
                "/admin/orgs/" + org.orgId() + "/channel",
                Map.of(
                        "phoneNumberId",
                        org.phoneNumberId(),
                        "wabaId",
                        "2" + randomDigits(14),
                        "accessToken",
                        sandbox.accessToken(),
                        "throughputPerSecond",
                        rate),
                admin());
        assertThat(channel.status()).as(channel.text()).isEqualTo(200);
        assertThat(channel.json().get("id").asString()).isEqualTo(org.channelId());
        return org;
    }

    /**
     * The seed's template send of the sandbox's {@code hello_world} (no parameters) to every customer of the org, as
     * a map a test can add to (customerIds, audience, sendAt...).
     */
    protected static Map<String, Object> helloWorldSend(TestOrg org) {
        return new java.util.HashMap<>(Map.of(
                "templateName",
                "hello_world",
                "sessionId",
                "SESSION_ID",
                "orgId",
                org.orgId(),
                "userId",
                org.userId(),
                "components",
                java.util.List.of()));
    }

    /** A new customer of the org, with a fresh random number; answers the customer's JSON. */
    protected JsonNode aCustomer(TestOrg org) {
        Api.Response customer =
                api.post("/whatsapp/customers", Map.of("phone", "60" + randomDigits(9), "name", "Customer"), org.key());
        assertThat(customer.status()).isEqualTo(201);
        return customer.json();
    }

    /** A customer who has written in through the sandbox, so their 24-hour window is open. */
    protected JsonNode aCustomerWhoWroteIn(TestOrg org) {
        JsonNode customer = aCustomer(org);
        writeIn(org, customer.get("phone").asString(), "hello");
        return customer;
    }

    /** A simulated customer writes to the org's number: a signed inbound webhook reaches the gateway. */
    protected Api.Response writeIn(TestOrg org, String phone, String text) {
        Api.Response answer = api.post(
                "/sandbox/customers/" + phone + "/messages",
                Map.of("text", text, "phoneNumberId", org.phoneNumberId()));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer;
    }

    /**
     * The customer sends the org's number a media message of {@code type} through the sandbox ({@code medium}: the
     * sandbox's fields for it); answers the media id the gateway stored it under.
     */
    protected String customerSendsMedia(TestOrg org, JsonNode customer, String type, Map<String, Object> medium) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("type", type);
        body.put(type, medium);
        body.put("phoneNumberId", org.phoneNumberId());
        Api.Response wroteIn =
                api.post("/sandbox/customers/" + customer.get("phone").asString() + "/messages", body);
        assertThat(wroteIn.status()).as(wroteIn.text()).isEqualTo(200);
        return api.get(
                        "/whatsapp/messages?limit=1&customerId="
                                + customer.get("id").asString(),
                        org.key())
                .json()
                .get("data")
                .get(0)
                .get("mediaId")
                .asString();
    }

    /** The seed's text request, with real ids. */
    protected Map<String, Object> textRequest(TestOrg org, String customerId, String body) {
        return Map.of(
                "message", Map.of("type", "text", "text", Map.of("body", body)),
                "sessionId", "SESSION_ID",
                "customerId", customerId,
                "userId", org.userId(),
                "orgId", org.orgId());
    }

    /** How many times the sandbox accepted the message with this gateway id. */
    protected long sandboxAccepted(String messageId) {
        return api.get("/sandbox/ledger?callbackData=" + messageId)
                .json()
                .get("acceptedForCallbackData")
                .asLong();
    }

    protected long sandboxAcceptedTo(String phone) {
        return api.get("/sandbox/ledger?to=" + phone).json().get("acceptedTo").asLong();
    }

    /** Polls until the value satisfies the condition, or fails after the timeout. */
    protected static <T> T eventually(Supplier<T> value, Predicate<T> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        T last = value.get();
        while (!condition.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + timeout + "; last value: " + last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = value.get();
        }
        return last;
    }

    protected static String randomDigits(int n) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < n; i++) {
            digits.append(ThreadLocalRandom.current().nextInt(10));
        }
        return digits.toString();
    }
}
