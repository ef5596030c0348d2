package com.replyhero.whatsapp.metawebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class MetaWebhookTest extends GatewayTest {

    @Autowired
    MetaApp metaApp;

    @Test
    void theVerificationHandshakeEchoesTheChallengeOnlyForTheRightToken() {
        Api.Response ok = api.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=" + metaApp.verifyToken()
                + "&hub.challenge=1158201444");
        Api.Response wrong = api.get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.text()).isEqualTo("1158201444");
        assertThat(wrong.status()).isEqualTo(403);
    }

    @Test
    void unsignedOrBadlySignedEventsAreRefusedAndStoreNothing() {
        TestOrg org = anOrg();
        String body = inboundText(org, "60199999999", "wamid.refused-" + randomDigits(8), "hi");
        long before = eventsStored();

        Api.Response unsigned = post(body, null);
        Api.Response wrongSecret = post(body, MetaSignature.sign("another-secret", bytes(body)));
        Api.Response otherBody = post(body, MetaSignature.sign(metaApp.appSecret(), bytes(body + " ")));
        Api.Response malformed = post(body, "sha256=zz");
        Api.Response wrongAlgorithm =
                post(body, MetaSignature.sign(metaApp.appSecret(), bytes(body)).replace("sha256=", "sha1="));

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(unsigned.json().get("code").asString()).isEqualTo("missing_signature");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(otherBody.status()).isEqualTo(401);
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(wrongAlgorithm.status()).isEqualTo(401);
        assertThat(eventsStored()).isEqualTo(before);
        assertThat(customersWithPhone(org, "60199999999")).isZero();
    }

    @Test
    void anInboundTextFromAnUnknownNumberCreatesTheCustomerOpensTheWindowAndIsStoredOnce() {
        TestOrg org = anOrg();
        String phone = "60" + randomDigits(9);
        String body = inboundText(org, phone, "wamid.in-" + randomDigits(10), "Do you ship to Penang?");

        Api.Response first = post(body, MetaSignature.sign(metaApp.appSecret(), bytes(body)));
        Api.Response redelivered = post(body, MetaSignature.sign(metaApp.appSecret(), bytes(body)));

        assertThat(first.status()).isEqualTo(200);
        assertThat(redelivered.status()).isEqualTo(200);
        JsonNode customer = api.get("/whatsapp/customers?phone=" + phone, org.key())
                .json()
                .get("data")
                .get(0);
        assertThat(customer.get("name").asString()).isEqualTo("Kerry");
        assertThat(customer.get("lastInboundAt").isNull()).isFalse();
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = ? AND message_type = 'user' AND kind = 'text'")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        Api.Response reply = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "Yes!"), org.key());
        assertThat(reply.status()).isEqualTo(422); // the sandbox itself never saw this customer write in
        assertThat(reply.json().get("upstream").get("code").asInt()).isEqualTo(131047);
    }

    @Test
    void anEventThatCannotBeAppliedIsKeptForARetryAndLeavesNothingHalfStored() {
        TestOrg org = anOrg();
        String phone = "60" + randomDigits(9);
        String wamid = "wamid.nul-" + randomDigits(10);
        // PostgreSQL's jsonb refuses the NUL character: applying this event fails after the customer was made
        String body = inboundText(org, phone, wamid, "a\\u0000b");

        Api.Response answer = post(body, MetaSignature.sign(metaApp.appSecret(), bytes(body)));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        Map<String, Object> stored = db.sql(
                        "SELECT processed_at, attempts, last_error FROM meta_events WHERE body LIKE '%' || ? || '%'")
                .param(wamid)
                .query()
                .singleRow();
        assertThat(stored.get("processed_at")).isNull();
        assertThat(stored.get("attempts")).isEqualTo(1);
        assertThat((String) stored.get("last_error")).isNotBlank();
        assertThat(db.sql("SELECT count(*) FROM customers WHERE org_id = ? AND phone = ?")
                        .param(org.orgId())
                        .param(phone)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aLateStatusNeverMovesAMessageBackwards() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());
        String id = sent.json().get("id").asString();
        String wamid = sent.json().get("wamid").asString();
        eventually(() -> status(org, id), "read"::equals, Duration.ofSeconds(10));

        String late = statusEvent(org, wamid, null, "delivered");
        Api.Response answer = post(late, MetaSignature.sign(metaApp.appSecret(), bytes(late)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(status(org, id)).isEqualTo("read");
    }

    @Test
    void aMessageLeftMidSendByACrashBecomesUnknownAndMetasStatusSettlesIt() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String id = "crashed" + randomDigits(10);
        // what a gateway killed during the Cloud API call leaves behind: 'sending' with a lapsed lease
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, attempts, lease_until)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type":"text","text":{"body":"hi"}}', 'sending', 1,
                                now() - interval '1 second')
                        """)
                .params(org.orgId(), id, customer.get("id").asString(), org.userId())
                .update();

        eventually(() -> status(org, id), "unknown"::equals, Duration.ofSeconds(15));
        String wamid = "wamid.settled-" + randomDigits(8);
        String delivered = statusEvent(org, wamid, id, "delivered");
        post(delivered, MetaSignature.sign(metaApp.appSecret(), bytes(delivered)));

        JsonNode settled = api.get("/whatsapp/messages/" + id, org.key()).json();
        assertThat(settled.get("status").asString()).isEqualTo("delivered");
        assertThat(settled.get("wamid").asString()).isEqualTo(wamid);
        assertThat(sandboxAccepted(id)).isZero(); // never re-sent blindly
    }

    @Test
    void aFailedStatusKeepsMetasError() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());
        String id = sent.json().get("id").asString();
        String wamid = sent.json().get("wamid").asString();
        String failed = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"%s"},
                "statuses":[{"id":"%s","status":"failed","timestamp":"%d","recipient_id":"1",
                "errors":[{"code":131026,"title":"Message undeliverable"}]}]}}]}]}""".formatted(org.phoneNumberId(), wamid, Instant.now().getEpochSecond());

        post(failed, MetaSignature.sign(metaApp.appSecret(), bytes(failed)));

        JsonNode stored = api.get("/whatsapp/messages/" + id, org.key()).json();
        assertThat(stored.get("status").asString()).isEqualTo("failed");
        assertThat(stored.get("error").get("upstreamCode").asInt()).isEqualTo(131026);
        assertThat(stored.get("error").get("message").asString()).isEqualTo("Message undeliverable");
    }

    @Test
    void oneWebhookCarryingManyStatusesAppliesEachInTheOrderTheyCame() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String first = acceptedMessage(org, customer, "wamid.batch-a-" + randomDigits(8));
        String second = acceptedMessage(org, customer, "wamid.batch-b-" + randomDigits(8));
        String unknownWamid = "wamid.batch-unknown-" + randomDigits(8);
        String batch = statusesEvent(
                org,
                List.of(
                        wamidOf(first) + ":sent",
                        wamidOf(second) + ":read",
                        wamidOf(first) + ":delivered",
                        unknownWamid + ":delivered",
                        wamidOf(second) + ":sent")); // late: never moves it back

        Api.Response answer = post(batch, MetaSignature.sign(metaApp.appSecret(), bytes(batch)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(status(org, first)).isEqualTo("delivered");
        assertThat(status(org, second)).isEqualTo("read");
        assertThat(db.sql("SELECT status FROM pending_statuses WHERE org_id = ? AND wamid = ?")
                        .params(org.orgId(), unknownWamid)
                        .query(String.class)
                        .list())
                .containsExactly("delivered");
    }

    /** A message Meta accepted as {@code wamid}, stored as the send leaves it; answers its id. */
    private String acceptedMessage(TestOrg org, JsonNode customer, String wamid) {
        String id = "batched" + randomDigits(10);
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, attempts, wamid, response)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type":"text","text":{"body":"hi"}}', 'accepted', 1,
                                ?, '{}')
                        """)
                .params(org.orgId(), id, customer.get("id").asString(), org.userId(), wamid)
                .update();
        return id;
    }

    private String wamidOf(String id) {
        return db.sql("SELECT wamid FROM messages WHERE id = ?")
                .params(id)
                .query(String.class)
                .single();
    }

    /** One webhook with several statuses, each {@code wamid:status}, in that order. */
    private static String statusesEvent(TestOrg org, List<String> statuses) {
        String items = statuses.stream()
                .map(s -> "{\"id\":\"%s\",\"status\":\"%s\",\"timestamp\":\"%d\",\"recipient_id\":\"1\"}"
                        .formatted(
                                s.split(":")[0], s.split(":")[1], Instant.now().getEpochSecond()))
                .collect(java.util.stream.Collectors.joining(","));
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"%s"},
                "statuses":[%s]}}]}]}""".formatted(org.phoneNumberId(), items);
    }

    private String status(TestOrg org, String id) {
        return api.get("/whatsapp/messages/" + id, org.key())
                .json()
                .get("status")
                .asString();
    }

    private Api.Response post(String body, String signature) {
        HttpRequest.Builder request = api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(MetaSignature.HEADER, signature);
        }
        return api.send(request);
    }

    private long eventsStored() {
        return db.sql("SELECT count(*) FROM meta_events").query(Long.class).single();
    }

    private long customersWithPhone(TestOrg org, String phone) {
        return db.sql("SELECT count(*) FROM customers WHERE org_id = ? AND phone = ?")
                .params(org.orgId(), phone)
                .query(Long.class)
                .single();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String inboundText(TestOrg org, String from, String wamid, String text) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"%s"},
                "contacts":[{"profile":{"name":"Kerry"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}""".formatted(
                        org.phoneNumberId(), from, from, wamid, Instant.now().getEpochSecond(), text);
    }

    private static String statusEvent(TestOrg org, String wamid, String callbackId, String status) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"%s"},
                "statuses":[{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"1"%s}]}}]}]}""".formatted(
                        org.phoneNumberId(),
                        wamid,
                        status,
                        Instant.now().getEpochSecond(),
                        callbackId == null ? "" : ",\"biz_opaque_callback_data\":\"" + callbackId + "\"");
    }
}
