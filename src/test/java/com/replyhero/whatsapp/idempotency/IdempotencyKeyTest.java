package com.replyhero.whatsapp.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.media.MediaFixtures;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.TestOrg;
import com.replyhero.whatsapp.web.Idempotent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Idempotency-Key on the POSTs that are not sends: a repeat answers the first result and changes nothing. */
class IdempotencyKeyTest extends GatewayTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMappings;

    private String[] with(String[] auth, String key) {
        return new String[] {auth[0], auth[1], "Idempotency-Key", key};
    }

    @Test
    void aRepeatedCustomerCreationAnswersTheFirstResultAndCreatesOne() {
        TestOrg org = anOrg();
        String phone = "60" + randomDigits(9);
        Map<String, Object> body = Map.of("phone", phone, "name", "Ana");
        String key = "create-" + randomDigits(8);

        Api.Response first = api.post("/whatsapp/customers", body, with(org.key(), key));
        Api.Response repeat = api.post("/whatsapp/customers", body, with(org.key(), key));
        Api.Response otherBody =
                api.post("/whatsapp/customers", Map.of("phone", phone, "name", "Bob"), with(org.key(), key));

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.text()).isEqualTo(first.text());
        assertThat(repeat.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotency-Replayed")).isNull();
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.json().get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(otherBody.json().get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(db.sql("SELECT count(*) FROM customers WHERE org_id = ? AND phone = ?")
                        .param(org.orgId())
                        .param(phone)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    private String readOnlyKey(TestOrg org) {
        Api.Response created =
                api.post("/whatsapp/api-keys", Map.of("name", "reader", "scopes", List.of("read")), org.key());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    @Test
    void aKeyWithoutTheOperationsScopeGetsNoReplayOfWhatAnotherKeyDid() {
        TestOrg org = anOrg();
        String reader = readOnlyKey(org);
        String key = "scoped-" + randomDigits(8);
        api.post("/whatsapp/api-keys", Map.of("name", "made"), with(org.key(), key));

        Api.Response replay =
                api.post("/whatsapp/api-keys", Map.of("name", "made"), "X-API-KEY", reader, "Idempotency-Key", key);

        assertThat(replay.status()).as(replay.text()).isEqualTo(403);
        assertThat(replay.json().get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(replay.header("Idempotency-Replayed")).isNull();
    }

    @Test
    void aRefusalForAMissingScopeDoesNotUseUpTheKey() {
        TestOrg org = anOrg();
        String reader = readOnlyKey(org);
        String key = "refused-" + randomDigits(8);
        Map<String, Object> body = Map.of("phone", "60" + randomDigits(9), "name", "Ana");

        Api.Response refused = api.post("/whatsapp/customers", body, "X-API-KEY", reader, "Idempotency-Key", key);
        Api.Response allowed = api.post("/whatsapp/customers", body, with(org.key(), key));

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(allowed.status()).as(allowed.text()).isEqualTo(201);
        assertThat(allowed.header("Idempotency-Replayed")).isNull();
    }

    @Test
    void aRepeatedKeyCreationMakesOneKeyAndNeverShowsTheSecretAgain() {
        TestOrg org = anOrg();
        String key = "key-" + randomDigits(8);

        Api.Response first = api.post("/whatsapp/api-keys", Map.of("name", "ci"), with(org.key(), key));
        Api.Response repeat = api.post("/whatsapp/api-keys", Map.of("name", "ci"), with(org.key(), key));

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.json().get("key").asString()).startsWith("rhk_");
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(repeat.json().get("key").isNull()).isTrue();
        assertThat(db.sql("SELECT count(*) FROM api_keys WHERE org_id = ? AND name = 'ci'")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(db.sql("SELECT count(*) FROM idempotency_records WHERE position(? IN encode(body, 'escape')) > 0")
                        .param(first.json().get("key").asString())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aRepeatedUploadAnswersTheSameMediaIdAndUploadsOnce() {
        TestOrg org = anOrg();
        String key = "upload-" + randomDigits(8);

        Api.Response first = upload(org, key, MediaFixtures.jpeg());
        Api.Response repeat = upload(org, key, MediaFixtures.jpeg());
        Api.Response otherFile = upload(org, key, MediaFixtures.png());

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(repeat.status()).as(repeat.text()).isEqualTo(200);
        assertThat(repeat.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(repeat.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(otherFile.status()).isEqualTo(422);
        assertThat(otherFile.json().get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(db.sql("SELECT count(*) FROM media WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theOperatorsRepeatedOrgCreationMakesOneOrg() {
        String name = "Idempotent " + randomDigits(8);
        String key = "org-" + randomDigits(8);

        Api.Response first = api.post("/admin/orgs", Map.of("name", name), with(admin(), key));
        Api.Response repeat = api.post("/admin/orgs", Map.of("name", name), with(admin(), key));

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(repeat.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(db.sql("SELECT count(*) FROM orgs WHERE name = ?")
                        .param(name)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theOperatorsRequestForAnOrgRunsEvenWhenTheOrgUsedTheSameKey() {
        TestOrg org = anOrg();
        String key = "shared-" + randomDigits(8);
        String orgsPhone = "60" + randomDigits(9);
        String operatorsPhone = "60" + randomDigits(9);
        Api.Response byOrg = api.post("/whatsapp/customers", Map.of("phone", orgsPhone), with(org.key(), key));

        Api.Response byOperator = api.post(
                "/admin/orgs/" + org.orgId() + "/customers", Map.of("phone", operatorsPhone), with(admin(), key));

        assertThat(byOrg.status()).as(byOrg.text()).isEqualTo(201);
        assertThat(byOperator.status()).as(byOperator.text()).isEqualTo(201);
        assertThat(byOperator.header("Idempotency-Replayed")).isNull();
        assertThat(byOperator.json().get("phone").asString()).isEqualTo(operatorsPhone);
        assertThat(db.sql("SELECT count(*) FROM customers WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void theOrgsRequestRunsEvenWhenTheOperatorUsedTheSameKeyForIt() {
        TestOrg org = anOrg();
        String key = "shared-" + randomDigits(8);
        Api.Response byOperator =
                api.post("/admin/orgs/" + org.orgId() + "/api-keys", Map.of("name", "ops"), with(admin(), key));

        Api.Response byOrg = api.post("/whatsapp/api-keys", Map.of("name", "ops"), with(org.key(), key));
        Api.Response orgsRepeat = api.post("/whatsapp/api-keys", Map.of("name", "ops"), with(org.key(), key));
        Api.Response operatorsRepeat =
                api.post("/admin/orgs/" + org.orgId() + "/api-keys", Map.of("name", "ops"), with(admin(), key));

        assertThat(byOperator.status()).as(byOperator.text()).isEqualTo(201);
        assertThat(byOrg.status()).as(byOrg.text()).isEqualTo(201);
        assertThat(byOrg.header("Idempotency-Replayed")).isNull();
        assertThat(byOrg.json().get("id").asString())
                .isNotEqualTo(byOperator.json().get("id").asString());
        assertThat(orgsRepeat.json().get("id").asString())
                .isEqualTo(byOrg.json().get("id").asString());
        assertThat(operatorsRepeat.json().get("id").asString())
                .isEqualTo(byOperator.json().get("id").asString());
        assertThat(db.sql("SELECT count(*) FROM api_keys WHERE org_id = ? AND name = 'ops'")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void retriesThatFindAnAbandonedKeyRunTheRequestOnce() throws Exception {
        TestOrg org = anOrg();
        for (int round = 0; round < 5; round++) {
            String key = "abandoned-" + randomDigits(8);
            String name = "retry-" + randomDigits(8);
            anAbandonedRecord(org, key);

            List<Api.Response> answers =
                    atOnce(8, () -> api.post("/whatsapp/api-keys", Map.of("name", name), with(org.key(), key)));

            assertThat(answers)
                    .allSatisfy(a -> assertThat(a.status()).as(a.text()).isIn(201, 409));
            assertThat(answers.stream().filter(a -> a.status() == 201 && a.header("Idempotency-Replayed") == null))
                    .as("requests that ran")
                    .hasSize(1);
            assertThat(db.sql("SELECT count(*) FROM api_keys WHERE org_id = ? AND name = ?")
                            .param(org.orgId())
                            .param(name)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        }
    }

    /** A request whose node died mid-way: its record is in progress for longer than the 2 minutes allowed. */
    private void anAbandonedRecord(TestOrg org, String key) {
        db.sql("""
                        INSERT INTO idempotency_records (org_id, principal, key, request_hash, created_at)
                        VALUES (?, 'api_key', ?, '\\x00', now() - interval '3 minutes')
                        """).param(org.orgId()).param(key).update();
    }

    private static List<Api.Response> atOnce(int requests, Callable<Api.Response> request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(requests);
        try (ExecutorService clients = Executors.newFixedThreadPool(requests)) {
            List<Future<Api.Response>> sent = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                sent.add(clients.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            List<Api.Response> answers = new ArrayList<>();
            for (Future<Api.Response> answer : sent) {
                answers.add(answer.get());
            }
            return answers;
        }
    }

    @Test
    void aKeyThatIsNotVisibleAsciiOrTooLongIsRefused() {
        TestOrg org = anOrg();

        Api.Response tooLong = api.post(
                "/whatsapp/customers", Map.of("phone", "60" + randomDigits(9)), with(org.key(), "k".repeat(256)));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("field").asString()).isEqualTo("Idempotency-Key");
    }

    @Test
    void everyPostOfTheOrgAndOperatorApisHonoursTheKeyAndExactlyOneKeeperKeepsIt() {
        Map<String, Idempotent> posts = new java.util.TreeMap<>();
        List<String> keptTwiceOrNever = new ArrayList<>();

        handlerMappings.getHandlerMethods().forEach((mapping, operation) -> {
            if (!mapping.getMethodsCondition().getMethods().contains(RequestMethod.POST)) {
                return;
            }
            for (String pattern : mapping.getPatternValues()) {
                if (pattern.startsWith("/whatsapp/") || pattern.startsWith("/admin/")) {
                    Idempotent idempotent = operation.getMethodAnnotation(Idempotent.class);
                    posts.put(pattern, idempotent);
                    boolean takesTheRequest = Arrays.stream(operation.getMethodParameters())
                            .anyMatch(p -> p.getParameterType() == IdempotentRequest.class);
                    boolean keptByOperation = idempotent != null && idempotent.value() == Idempotent.Keeper.OPERATION;
                    if (takesTheRequest != keptByOperation) {
                        keptTwiceOrNever.add(pattern);
                    }
                }
            }
        });

        assertThat(posts).as("POST operations of the org and operator APIs").hasSizeGreaterThanOrEqualTo(12);
        assertThat(posts).as("POSTs without @Idempotent").doesNotContainValue(null);
        assertThat(keptTwiceOrNever)
                .as("@Idempotent(OPERATION) if and only if the operation takes an IdempotentRequest")
                .isEmpty();
    }

    private Api.Response upload(TestOrg org, String key, byte[] bytes) {
        boolean png = bytes[0] == (byte) 0x89;
        return api.send(new Multipart()
                .field("orgId", org.orgId())
                .field("type", png ? "image/png" : "image/jpeg")
                .file("file", png ? "a.png" : "a.jpeg", png ? "image/png" : "image/jpeg", bytes)
                .post(api.request(
                        "/whatsapp/uploads/media_upload", "X-API-KEY", org.apiKey(), "Idempotency-Key", key)));
    }
}
