package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SendTemplateTest extends GatewayTest {

    /** The seed's curl body, verbatim but for the ids. */
    private static final String SEED_BODY = """
            {
              "templateName": "%s",
              "sessionId": "SESSION_ID",
              "orgId": "%s",
              "userId": "%s",
              "components": [
                {
                  "type": "header",
                  "parameters": [
                    {
                      "type": "image",
                      "image": {"id": "%s"}
                    }
                  ]
                },
                {
                  "type": "body",
                  "parameters": [
                    {
                      "type": "text",
                      "text": "https://replyhero.io/"
                    },
                    {
                      "type": "text",
                    "text": "https://replyhero.io/"
                }
                ]
            }
            ]
            }""";

    @Test
    void theSeedsTemplateExampleGoesToEveryCustomerOfTheOrg() {
        TestOrg org = anOrg();
        List<JsonNode> customers = List.of(aCustomer(org), aCustomer(org), aCustomer(org));
        String template = aSandboxTemplateWithAnImageHeaderAndTwoBodyParameters();
        String mediaId = aMediaOf(org);

        Api.Response sent =
                api.post("/whatsapp/template/send", seedRequest(template, org, mediaId), "x-api-key", org.apiKey());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().isArray()).isTrue();
        assertThat(sent.json().size()).isEqualTo(3);
        Set<String> customerIds = new HashSet<>();
        for (JsonNode record : sent.json()) {
            customerIds.add(record.get("customerId").asString());
            assertThat(record.get("messageType").asString()).isEqualTo("template");
            assertThat(record.get("message").asString()).isEqualTo(template);
            assertThat(record.has("file")).isTrue();
            assertThat(record.get("file").isNull()).isTrue();
            assertThat(record.get("orgId").asString()).isEqualTo(org.orgId());
            assertThat(record.get("userId").asString()).isEqualTo(org.userId());
            assertThat(record.get("sessionId").asString()).isEqualTo("SESSION_ID");
            assertThat(record.get("timestamp").asString()).endsWith("+0800");
            assertThat(record.path("response")
                            .path("messages")
                            .path(0)
                            .path("id")
                            .asString(""))
                    .as(record.toString())
                    .startsWith("wamid.");
            assertThat(sandboxAccepted(record.get("id").asString())).isEqualTo(1);
        }
        assertThat(customerIds)
                .containsExactlyInAnyOrderElementsOf(
                        customers.stream().map(c -> c.get("id").asString()).toList());
        for (JsonNode customer : customers) {
            assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
        }
    }

    /** The seed's Python example builds its body with json.dumps: the same JSON, compact. */
    @Test
    void theSeedsPythonExampleAnswersTheSeedsArray() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplateWithAnImageHeaderAndTwoBodyParameters();
        String mediaId = aMediaOf(org);
        Map<String, Object> payload = Map.of(
                "templateName", template,
                "sessionId", "SESSION_ID",
                "orgId", org.orgId(),
                "userId", org.userId(),
                "components",
                        List.of(
                                Map.of(
                                        "type",
                                        "header",
                                        "parameters",
                                        List.of(Map.of("type", "image", "image", Map.of("id", mediaId)))),
                                Map.of(
                                        "type",
                                        "body",
                                        "parameters",
                                        List.of(
                                                Map.of("type", "text", "text", "https://replyhero.io/"),
                                                Map.of("type", "text", "text", "https://replyhero.io/")))));

        Api.Response sent = api.post("/whatsapp/template/send", payload, "x-api-key", org.apiKey());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().size()).isEqualTo(1);
        assertThat(sent.json().get(0).get("customerId").asString())
                .isEqualTo(customer.get("id").asString());
        assertThat(sent.json().get(0).get("message").asString()).isEqualTo(template);
    }

    @Test
    void aHeaderTextOf61CharactersIsRefusedAndNothingIsSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplate("""
                [{"type": "HEADER", "format": "TEXT", "text": "News {{1}}"}, {"type": "BODY", "text": "Hi"}]""");

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(
                        template,
                        org,
                        List.of(Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of("type", "text", "text", "x".repeat(61)))))),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("field").asString()).isEqualTo("components[0].parameters[0].text");
        assertNothingSent(org, customer);
    }

    @Test
    void aHeaderTextOf60CharactersIsSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplate("""
                [{"type": "HEADER", "format": "TEXT", "text": "News {{1}}"}, {"type": "BODY", "text": "Hi"}]""");

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(
                        template,
                        org,
                        List.of(Map.of(
                                "type",
                                "header",
                                "parameters",
                                List.of(Map.of("type", "text", "text", "x".repeat(60)))))),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    @Test
    void aMediaParameterInTheBodyIsRefusedAndNothingIsSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplateWithAnImageHeaderAndTwoBodyParameters();

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(
                        template,
                        org,
                        List.of(Map.of(
                                "type",
                                "body",
                                "parameters",
                                List.of(Map.of(
                                        "type", "image", "image", Map.of("link", "https://example.com/a.jpg")))))),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("field").asString()).isEqualTo("components[0].parameters[0].type");
        assertNothingSent(org, customer);
    }

    @Test
    void anUnknownTemplateIsRefusedAndNothingIsSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        Api.Response sent = api.post(
                "/whatsapp/template/send", request("no_such_template_" + randomDigits(6), org, List.of()), org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("code").asString()).isEqualTo("template_not_found");
        assertNothingSent(org, customer);
    }

    @Test
    void aWrongParameterCountIsRefusedBeforeTheFanOut() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplate("""
                [{"type": "BODY", "text": "Hi {{1}}, see {{2}}"}]""");

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(
                        template,
                        org,
                        List.of(Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "a"))))),
                org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("code").asString()).isEqualTo("template_parameters_mismatch");
        assertNothingSent(org, customer);
    }

    @Test
    void aLanguageTheTemplateDoesNotHaveIsRefused() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        Map<String, Object> body = new java.util.HashMap<>(request("hello_world", org, List.of()));
        body.put("language", "ms");

        Api.Response sent = api.post("/whatsapp/template/send", body, org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("code").asString()).isEqualTo("template_language_not_found");
        assertNothingSent(org, customer);
    }

    @Test
    void aMediaIdOfAnotherOrgIsNotFound() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String template = aSandboxTemplateWithAnImageHeaderAndTwoBodyParameters();
        String othersMedia = aMediaOf(anOrg());

        Api.Response sent = api.post("/whatsapp/template/send", seedRequest(template, org, othersMedia), org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(404);
        assertThat(sent.json().get("code").asString()).isEqualTo("media_not_found");
        assertNothingSent(org, customer);
    }

    @Test
    void aTemplateRegisteredByAnOperatorIsCheckedAndSent() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String name = "order_update_" + randomDigits(6);
        String definition = """
                {"name": "%s", "language": "en_US",
                 "components": [{"type": "BODY", "text": "Hi {{1}}, your order {{2}} is ready"}]}""".formatted(name);
        api.post("/sandbox/templates", definition);

        Api.Response registered = api.post("/admin/orgs/" + org.orgId() + "/templates", definition, admin());
        Api.Response tooFew = api.post(
                "/whatsapp/template/send",
                request(name, org, List.of(Map.of("type", "body", "parameters", List.of(text("Ann"))))),
                org.key());
        Api.Response sent = api.post(
                "/whatsapp/template/send",
                request(name, org, List.of(Map.of("type", "body", "parameters", List.of(text("Ann"), text("42"))))),
                org.key());

        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        assertThat(registered.json().get("bodyParameters").asInt()).isEqualTo(2);
        assertThat(tooFew.status()).isEqualTo(400);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().get(0).get("status").asString()).isIn("accepted", "sent", "delivered", "read");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    @Test
    void optedOutCustomersAreLeftOutAndCustomerIdsChooseASubset() {
        TestOrg org = anOrg();
        JsonNode a = aCustomer(org);
        JsonNode b = aCustomer(org);
        JsonNode optedOut = aCustomer(org);
        Api.Response optOut =
                api.patch("/whatsapp/customers/" + optedOut.get("id").asString(), Map.of("optedOut", true), org.key());
        assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);
        assertThat(optOut.json().get("optedOut").asBoolean()).isTrue();

        Api.Response all = api.post("/whatsapp/template/send", request("hello_world", org, List.of()), org.key());
        Map<String, Object> subset = new java.util.HashMap<>(request("hello_world", org, List.of()));
        subset.put("customerIds", List.of(b.get("id").asString()));
        Api.Response one = api.post("/whatsapp/template/send", subset, org.key());

        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(all.json().size()).isEqualTo(2);
        assertThat(one.status()).as(one.text()).isEqualTo(200);
        assertThat(one.json().size()).isEqualTo(1);
        assertThat(sandboxAcceptedTo(a.get("phone").asString())).isEqualTo(1);
        assertThat(sandboxAcceptedTo(b.get("phone").asString())).isEqualTo(2);
        assertThat(sandboxAcceptedTo(optedOut.get("phone").asString())).isZero();
    }

    @Test
    void aCustomerOptedBackInIsSentToAgainAndBadOptOutsAreRefused() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        JsonNode customer = aCustomer(org);
        String path = "/whatsapp/customers/" + customer.get("id").asString();
        api.patch(path, Map.of("optedOut", true), org.key());

        Api.Response back = api.patch(path, Map.of("optedOut", false), org.key());
        Api.Response empty = api.patch(path, Map.of(), org.key());
        Api.Response notABoolean = api.patch(path, "{\"optedOut\": \"maybe\"}", org.key());
        Api.Response anotherOrgs = api.patch(path, Map.of("optedOut", true), other.key());
        Api.Response sent = api.post("/whatsapp/template/send", request("hello_world", org, List.of()), org.key());

        assertThat(back.json().get("optedOut").asBoolean()).isFalse();
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("field").asString()).isEqualTo("optedOut");
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(anotherOrgs.status()).isEqualTo(404);
        assertThat(anotherOrgs.json().get("code").asString()).isEqualTo("customer_not_found");
        assertThat(sent.json().size()).as(sent.text()).isEqualTo(1);
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    @Test
    void preferRespondAsyncAnswers202AndABroadcastThatCompletes() {
        TestOrg org = anOrg();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            phones.add(aCustomer(org).get("phone").asString());
        }

        Api.Response accepted = api.post(
                "/whatsapp/template/send",
                request("hello_world", org, List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Prefer",
                "respond-async");

        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String location = accepted.header("Location");
        assertThat(location)
                .isEqualTo("/whatsapp/template/broadcasts/"
                        + accepted.json().get("id").asString());
        assertThat(accepted.json().get("total").asInt()).isEqualTo(5);
        JsonNode done = eventually(
                () -> api.get(location, org.key()).json(),
                b -> b.get("status").asString().equals("completed"),
                Duration.ofSeconds(20));
        assertThat(done.get("sent").asInt()).isEqualTo(5);
        assertThat(done.get("failed").asInt()).isZero();
        assertThat(done.get("pending").asInt()).isZero();
        assertThat(done.get("finishedAt").isNull()).isFalse();
        Api.Response page1 = api.get(location + "/messages?limit=3", org.key());
        Api.Response page2 = api.get(
                location + "/messages?limit=3&cursor="
                        + page1.json().get("nextCursor").asString(),
                org.key());
        assertThat(page1.json().get("data").size()).isEqualTo(3);
        assertThat(page2.json().get("data").size()).isEqualTo(2);
        assertThat(page2.json().has("nextCursor")).isFalse();
        for (String phone : phones) {
            assertThat(sandboxAcceptedTo(phone)).isEqualTo(1);
        }
    }

    @Test
    void aBroadcastsMessagesCursorWithAControlCharacterIsABadRequestNamingTheCursor() {
        TestOrg org = anOrg();
        aCustomer(org);
        Api.Response accepted = api.post(
                "/whatsapp/template/send",
                request("hello_world", org, List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Prefer",
                "respond-async");
        String location = accepted.header("Location");

        for (String cursor : new String[] {"%00", "abc%00def", "a%0Ab", "x".repeat(300)}) {
            Api.Response answer = api.get(location + "/messages?cursor=" + cursor, org.key());

            assertThat(answer.status()).as(cursor + ": " + answer.text()).isEqualTo(400);
            assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
            assertThat(answer.json().get("field").asString()).isEqualTo("cursor");
        }
    }

    @Test
    void anotherOrgsBroadcastIsNotFound() {
        TestOrg org = anOrg();
        aCustomer(org);
        Api.Response accepted = api.post(
                "/whatsapp/template/send",
                request("hello_world", org, List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Prefer",
                "respond-async");

        Api.Response seen = api.get(accepted.header("Location"), anOrg().key());

        assertThat(seen.status()).isEqualTo(404);
    }

    @Test
    void aRepeatedIdempotencyKeySendsNothingTwice() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);

        Api.Response first = api.post(
                "/whatsapp/template/send",
                request("hello_world", org, List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Idempotency-Key",
                "k1");
        Api.Response again = api.post(
                "/whatsapp/template/send",
                request("hello_world", org, List.of()),
                "X-API-KEY",
                org.apiKey(),
                "Idempotency-Key",
                "k1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get(0).get("id").asString())
                .isEqualTo(first.json().get(0).get("id").asString());
        assertThat(first.header("Idempotency-Replayed")).isNull();
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
    }

    @Test
    void templateMessagesFollowMetasStatusesLikeAnyMessage() {
        TestOrg org = anOrg();
        aCustomer(org);

        Api.Response sent = api.post("/whatsapp/template/send", request("hello_world", org, List.of()), org.key());

        String id = sent.json().get(0).get("id").asString();
        JsonNode stored = eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key()).json(),
                m -> m.get("status").asString().equals("read"),
                Duration.ofSeconds(10));
        assertThat(stored.get("kind").asString()).isEqualTo("template");
        assertThat(stored.get("message").asString()).isEqualTo("hello_world");
    }

    private void assertNothingSent(TestOrg org, JsonNode customer) {
        assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = :orgId")
                        .param("orgId", org.orgId())
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    private String aSandboxTemplateWithAnImageHeaderAndTwoBodyParameters() {
        return aSandboxTemplate("""
                [{"type": "HEADER", "format": "IMAGE"}, {"type": "BODY", "text": "Hi {{1}}, see {{2}}"}]""");
    }

    /** A template the sandbox (Meta) knows; the gateway learns it by syncing from the Cloud API. */
    private String aSandboxTemplate(String components) {
        String name = "promo_" + randomDigits(8);
        Api.Response registered = api.post("/sandbox/templates", """
                {"name": "%s", "language": "en_US", "category": "MARKETING", "components": %s}""".formatted(name, components));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        return name;
    }

    /** A media id of the org, as the upload endpoint records it. */
    private String aMediaOf(TestOrg org) {
        String id = "1" + randomDigits(15);
        db.sql("INSERT INTO media (org_id, id, direction, mime_type) VALUES (:orgId, :id, 'outbound', 'image/jpeg')")
                .param("orgId", org.orgId())
                .param("id", id)
                .update();
        return id;
    }

    private static String seedRequest(String template, TestOrg org, String mediaId) {
        return SEED_BODY.formatted(template, org.orgId(), org.userId(), mediaId);
    }

    private static Map<String, Object> request(String template, TestOrg org, List<Map<String, Object>> components) {
        return Map.of(
                "templateName",
                template,
                "sessionId",
                "SESSION_ID",
                "orgId",
                org.orgId(),
                "userId",
                org.userId(),
                "components",
                components);
    }

    private static Map<String, Object> text(String value) {
        return Map.of("type", "text", "text", value);
    }
}
