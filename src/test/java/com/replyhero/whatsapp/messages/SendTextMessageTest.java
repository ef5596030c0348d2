package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SendTextMessageTest extends GatewayTest {

    @Test
    void theSeedsTextExampleAnswersTheSeedsRecord() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        // the seed's "Send WhatsApp Message" curl, verbatim but for the ids, with the header in lower case
        String seedBody = """
                {
                  "message": {
                    "type": "text",
                    "text": {
                      "body": "testing msg"
                    }
                  },
                  "sessionId": "SESSION_ID",
                  "customerId": "%s",
                  "userId": "%s",
                  "orgId": "%s"
                }""".formatted(customer.get("id").asString(), org.userId(), org.orgId());

        Api.Response sent = api.post("/whatsapp/messages/send", seedBody, "x-api-key", org.apiKey());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        JsonNode record = sent.json();
        assertThat(record.get("customerId").asString())
                .isEqualTo(customer.get("id").asString());
        assertThat(record.get("orgId").asString()).isEqualTo(org.orgId());
        assertThat(record.get("userId").asString()).isEqualTo(org.userId());
        assertThat(record.get("sessionId").asString()).isEqualTo("SESSION_ID");
        assertThat(record.get("messageType").asString()).isEqualTo("human");
        assertThat(record.get("id").asString()).isNotBlank();
        assertThat(record.get("timestamp").asString())
                .matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0800");
        JsonNode response = record.get("response");
        assertThat(response.get("messaging_product").asString()).isEqualTo("whatsapp");
        assertThat(response.get("contacts").get(0).get("wa_id").asString())
                .isEqualTo(customer.get("phone").asString());
        assertThat(response.get("contacts").get(0).get("input").asString())
                .isEqualTo(customer.get("phone").asString());
        assertThat(response.get("messages").get(0).get("id").asString()).startsWith("wamid.");
        assertThat(sandboxAccepted(record.get("id").asString())).isEqualTo(1);
    }

    @Test
    void theStoredMessageFollowsMetasStatusesToRead() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);

        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(sent.status()).isEqualTo(200);
        String id = sent.json().get("id").asString();
        JsonNode stored = eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key()).json(),
                m -> m.get("status").asString().equals("read"),
                Duration.ofSeconds(10));
        assertThat(stored.get("wamid").asString())
                .isEqualTo(sent.json()
                        .get("response")
                        .get("messages")
                        .get(0)
                        .get("id")
                        .asString());
    }

    @Test
    void assistantRepliesAreRecordedAsAssistant() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request =
                new java.util.HashMap<>(textRequest(org, customer.get("id").asString(), "bot"));
        request.put("messageType", "assistant");

        Api.Response sent = api.post("/whatsapp/messages/send", request, org.key());

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().get("messageType").asString()).isEqualTo("assistant");
    }

    @Test
    void refusesTextOutsideTheCustomerServiceWindowWithoutCallingTheCloudApi() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String phone = customer.get("phone").asString();

        Api.Response refused = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("code").asString()).isEqualTo("outside_customer_service_window");
        assertThat(refused.json().get("field").asString()).isEqualTo("customerId");
        assertThat(sandboxAcceptedTo(phone)).isZero();
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = ?")
                        .param(org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();

        writeIn(org, phone, "hello");
        Api.Response sent = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sandboxAcceptedTo(phone)).isEqualTo(1);
    }

    @Test
    void aWrongKeyIs401() {
        TestOrg org = anOrg();

        Api.Response missing = api.post("/whatsapp/messages/send", textRequest(org, "c", "hi"));
        Api.Response wrong = api.post(
                "/whatsapp/messages/send",
                textRequest(org, "c", "hi"),
                "X-API-KEY",
                "rhk_00000000000000000000000000000000000000");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("code").asString()).isEqualTo("missing_api_key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asString()).isEqualTo("invalid_api_key");
    }

    @Test
    void anotherOrgsOrgIdIs403AndItsCustomerAndUserAre404() {
        TestOrg mine = anOrg();
        TestOrg theirs = anOrg();
        JsonNode myCustomer = aCustomerWhoWroteIn(mine);
        JsonNode theirCustomer = aCustomerWhoWroteIn(theirs);

        Api.Response otherOrg = api.post(
                "/whatsapp/messages/send",
                textRequest(theirs, theirCustomer.get("id").asString(), "hi"),
                mine.key());
        Api.Response otherCustomer = api.post(
                "/whatsapp/messages/send",
                textRequest(mine, theirCustomer.get("id").asString(), "hi"),
                mine.key());
        Map<String, Object> otherUser =
                new java.util.HashMap<>(textRequest(mine, myCustomer.get("id").asString(), "x"));
        otherUser.put("userId", theirs.userId());
        Api.Response otherUserAnswer = api.post("/whatsapp/messages/send", otherUser, mine.key());
        Map<String, Object> unparseable = new java.util.HashMap<>(textRequest(mine, "'; DROP TABLE x; --", "x"));
        Api.Response oddId = api.post("/whatsapp/messages/send", unparseable, mine.key());

        assertThat(otherOrg.status()).isEqualTo(403);
        assertThat(otherOrg.json().get("field").asString()).isEqualTo("orgId");
        assertThat(otherCustomer.status()).isEqualTo(404);
        assertThat(otherCustomer.json().get("code").asString()).isEqualTo("customer_not_found");
        assertThat(otherUserAnswer.status()).isEqualTo(404);
        assertThat(otherUserAnswer.json().get("code").asString()).isEqualTo("user_not_found");
        assertThat(oddId.status()).isEqualTo(404);
        assertThat(sandboxAcceptedTo(theirCustomer.get("phone").asString())).isZero();
    }

    @Test
    void badRequestsName400AndTheField() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        String customerId = customer.get("id").asString();

        Api.Response noBody = api.post(
                "/whatsapp/messages/send",
                Map.of(
                        "message", Map.of("type", "text", "text", Map.of()),
                        "sessionId", "s",
                        "customerId", customerId,
                        "userId", org.userId(),
                        "orgId", org.orgId()),
                org.key());
        Api.Response unknownType = api.post(
                "/whatsapp/messages/send",
                Map.of(
                        "message", Map.of("type", "hologram"),
                        "sessionId", "s",
                        "customerId", customerId,
                        "userId", org.userId(),
                        "orgId", org.orgId()),
                org.key());
        Api.Response malformed = api.post("/whatsapp/messages/send", "{\"message\": {", org.key());
        Api.Response tooLong =
                api.post("/whatsapp/messages/send", textRequest(org, customerId, "x".repeat(4097)), org.key());
        Api.Response noSession = api.post(
                "/whatsapp/messages/send",
                Map.of(
                        "message", Map.of("type", "text", "text", Map.of("body", "hi")),
                        "customerId", customerId,
                        "userId", org.userId(),
                        "orgId", org.orgId()),
                org.key());

        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.json().get("field").asString()).isEqualTo("message.text.body");
        assertThat(noBody.json().get("code").asString()).isEqualTo("invalid_request");
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.json().get("field").asString()).isEqualTo("message.type");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asString()).isEqualTo("malformed_json");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("field").asString()).isEqualTo("message.text.body");
        assertThat(noSession.status()).isEqualTo(400);
        assertThat(noSession.json().get("field").asString()).isEqualTo("sessionId");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstResultAndSendsOnce() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        Map<String, Object> request = textRequest(org, customer.get("id").asString(), "once");

        Api.Response first =
                api.post("/whatsapp/messages/send", request, "X-API-KEY", org.apiKey(), "Idempotency-Key", "k-1");
        Api.Response again =
                api.post("/whatsapp/messages/send", request, "X-API-KEY", org.apiKey(), "Idempotency-Key", "k-1");
        Api.Response otherBody = api.post(
                "/whatsapp/messages/send",
                textRequest(org, customer.get("id").asString(), "twice?"),
                "X-API-KEY",
                org.apiKey(),
                "Idempotency-Key",
                "k-1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString())
                .isEqualTo(first.json().get("id").asString());
        assertThat(again.json().get("timestamp").asString())
                .isEqualTo(first.json().get("timestamp").asString());
        assertThat(first.header("Idempotency-Replayed")).isNull();
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(otherBody.json().get("code").asString()).isEqualTo("idempotency_key_reused");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    @Test
    void anUnknownMessageIdIs404() {
        TestOrg org = anOrg();

        Api.Response answer = api.get("/whatsapp/messages/not-an-id", org.key());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asString()).isEqualTo("message_not_found");
    }
}
