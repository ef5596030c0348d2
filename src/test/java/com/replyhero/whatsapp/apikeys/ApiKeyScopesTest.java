package com.replyhero.whatsapp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

class ApiKeyScopesTest extends GatewayTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    private String keyWith(TestOrg org, List<String> scopes) {
        Api.Response created = api.post("/whatsapp/api-keys", Map.of("name", "scoped", "scopes", scopes), org.key());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    @Test
    void aKeyMadeWithoutScopesHasEveryScope() {
        TestOrg org = anOrg();

        Api.Response created = api.post("/whatsapp/api-keys", Map.of("name", "plain"), org.key());

        assertThat(created.json().get("scopes").toString())
                .isEqualTo("[\"send\",\"read\",\"manage_keys\",\"manage_templates\"]");
        String key = created.json().get("key").asString();
        assertThat(api.get("/whatsapp/customers", "X-API-KEY", key).status()).isEqualTo(200);
        assertThat(api.post("/whatsapp/customers", Map.of("phone", "60" + randomDigits(9)), "X-API-KEY", key)
                        .status())
                .isEqualTo(201);
        assertThat(api.get("/whatsapp/api-keys", "X-API-KEY", key).status()).isEqualTo(200);
    }

    @Test
    void aReadOnlyKeyReadsButCannotSendNorManageKeys() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String readOnly = keyWith(org, List.of("read"));

        Api.Response read = api.get("/whatsapp/customers", "X-API-KEY", readOnly);
        Api.Response send = api.post(
                "/whatsapp/messages/send",
                textRequest(org, customer.get("id").asString(), "hi"),
                "X-API-KEY",
                readOnly);
        Api.Response newKey = api.post("/whatsapp/api-keys", Map.of("name", "x"), "X-API-KEY", readOnly);

        assertThat(read.status()).isEqualTo(200);
        assertThat(send.status()).isEqualTo(403);
        assertThat(send.json().get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(send.json().get("message").asString()).contains("send");
        assertThat(newKey.status()).isEqualTo(403);
        assertThat(newKey.json().get("message").asString()).contains("manage_keys");
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = ? AND message_type <> 'user'")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aSendOnlyKeySendsButCannotRead() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String sendOnly = keyWith(org, List.of("send"));

        Api.Response send = api.post(
                "/whatsapp/messages/send",
                textRequest(org, customer.get("id").asString(), "hi"),
                "X-API-KEY",
                sendOnly);
        Api.Response read =
                api.get("/whatsapp/messages/" + send.json().get("id").asString(), "X-API-KEY", sendOnly);

        assertThat(send.status()).as(send.text()).isEqualTo(200);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.json().get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(read.json().get("message").asString()).contains("read");
    }

    @Test
    void aKeyCannotMakeAKeyWithAScopeItLacks() {
        TestOrg org = anOrg();
        String keyManager = keyWith(org, List.of("manage_keys", "read"));

        Api.Response wider = api.post("/whatsapp/api-keys", Map.of("scopes", List.of("send")), "X-API-KEY", keyManager);
        Api.Response same = api.post("/whatsapp/api-keys", Map.of("scopes", List.of("read")), "X-API-KEY", keyManager);
        Api.Response all = api.post("/whatsapp/api-keys", Map.of("name", "all"), "X-API-KEY", keyManager);

        assertThat(wider.status()).isEqualTo(403);
        assertThat(wider.json().get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(same.status()).isEqualTo(201);
        assertThat(all.status()).isEqualTo(403);
    }

    @Test
    void unknownOrEmptyScopesAreRefused() {
        TestOrg org = anOrg();

        Api.Response unknown = api.post("/whatsapp/api-keys", Map.of("scopes", List.of("admin")), org.key());
        Api.Response empty = api.post("/whatsapp/api-keys", Map.of("scopes", List.of()), org.key());

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asString()).isEqualTo("scopes");
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void everyOrgApiOperationNamesItsScope() {
        List<String> unscoped = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            boolean orgApi = info.getPatternValues().stream().anyMatch(p -> p.startsWith("/whatsapp/"));
            if (orgApi && !method.hasMethodAnnotation(RequiresScope.class)) {
                unscoped.add(info.toString());
            }
        });

        assertThat(unscoped).isEmpty();
        assertThat(api.get("/v3/api-docs").text()).contains("x-required-scope");
    }

    @Test
    void lastUsedAtIsSetOnUseAndWrittenAtMostOnceAMinute() {
        TestOrg org = anOrg();
        Api.Response created = api.post("/whatsapp/api-keys", Map.of("name", "fresh"), org.key());
        String key = created.json().get("key").asString();
        String id = created.json().get("id").asString();
        assertThat(created.json().has("lastUsedAt")).isFalse();

        api.get("/whatsapp/customers", "X-API-KEY", key);
        Timestamp first = lastUsed(org, id);
        api.get("/whatsapp/customers", "X-API-KEY", key);
        Timestamp second = lastUsed(org, id);
        JsonNode listed = api.get("/whatsapp/api-keys", org.key()).json().get("data");

        assertThat(first).isNotNull();
        assertThat(second).isEqualTo(first);
        boolean shown = false;
        for (JsonNode view : listed) {
            if (view.get("id").asString().equals(id)) {
                shown = view.hasNonNull("lastUsedAt");
            }
        }
        assertThat(shown).isTrue();
    }

    @Test
    void aKeyPastItsRateLimitGets429WithRetryAfterInTheOneErrorShape() {
        TestOrg org = anOrg();
        Api.Response created = api.post(
                "/admin/orgs/" + org.orgId() + "/api-keys", Map.of("name", "slow", "rateLimitPerSecond", 2), admin());
        String key = created.json().get("key").asString();

        Api.Response limited = null;
        for (int i = 0; i < 20 && limited == null; i++) {
            Api.Response answer = api.get("/whatsapp/customers", "X-API-KEY", key);
            if (answer.status() == 429) {
                limited = answer;
            }
        }

        assertThat(created.json().get("rateLimitPerSecond").asInt()).isEqualTo(2);
        assertThat(limited).as("a 429 within 20 requests at 2 per second").isNotNull();
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.json().get("code").asString()).isEqualTo("rate_limited");
        assertThat(limited.json().get("status").asInt()).isEqualTo(429);
        assertThat(api.get("/whatsapp/customers", org.key()).status()).isEqualTo(200);
    }

    @Test
    void twoNodesShareOneCounterAndSeeARevocationAtOnce() {
        TestOrg org = anOrg();
        ApiKeys nodeA =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(1000), new ApiKeySettings(Duration.ofSeconds(1)));
        ApiKeys nodeB =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(1000), new ApiKeySettings(Duration.ofSeconds(1)));
        ApiKeys.CreatedApiKey created = nodeA.create(org.orgId(), "shared");

        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ApiKeys node = i % 2 == 0 ? nodeA : nodeB;
            counts.add(node.authenticateAndCount(created.key()).orElseThrow().usedThisSecond());
        }
        nodeA.revoke(org.orgId(), created.id());

        for (int i = 1; i < counts.size(); i++) {
            assertThat(counts.get(i)).isIn(1, counts.get(i - 1) + 1);
        }
        assertThat(counts).anyMatch(count -> count > 1);
        assertThat(nodeB.authenticateAndCount(created.key())).isEmpty();
    }

    @Test
    void aKeyWithoutALimitIsRememberedForASecondAndItsRevocationReachesTheOtherNodeWithinIt() throws Exception {
        TestOrg org = anOrg();
        ApiKeys nodeA =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(0), new ApiKeySettings(Duration.ofSeconds(1)));
        ApiKeys nodeB =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(0), new ApiKeySettings(Duration.ofSeconds(1)));
        ApiKeys.CreatedApiKey created = nodeA.create(org.orgId(), "unlimited");
        assertThat(nodeA.authenticateAndCount(created.key())).isPresent();
        assertThat(nodeB.authenticateAndCount(created.key())).isPresent();

        nodeA.revoke(org.orgId(), created.id());
        boolean revokedOnA = nodeA.authenticateAndCount(created.key()).isEmpty();
        Thread.sleep(1100);

        assertThat(revokedOnA).as("at once on the node that revoked it").isTrue();
        assertThat(nodeB.authenticateAndCount(created.key()))
                .as("within a second on the other")
                .isEmpty();
    }

    private Timestamp lastUsed(TestOrg org, String id) {
        return db.sql("SELECT last_used_at FROM api_keys WHERE org_id = ? AND id = ?")
                .params(org.orgId(), id)
                .query(Timestamp.class)
                .single();
    }
}
