package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.media.MediaFixtures;
import com.replyhero.whatsapp.metawebhooks.MetaApp;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Templates created at Meta through the gateway, reviewed by the sandbox, mirrored by the registry. */
class TemplateLifecycleTest extends GatewayTest {

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

    private static final Duration REVIEW = Duration.ofSeconds(15);

    @Autowired
    private MetaApp metaApp;

    @Test
    void aTemplateWithAnImageHeaderCreatedThroughTheApiIsApprovedByWebhookAndGoesToEveryCustomer() {
        TestOrg org = anOrg();
        List<JsonNode> customers = List.of(aCustomer(org), aCustomer(org), aCustomer(org));
        String name = "spring_sale_" + randomDigits(8);
        String mediaId = anUploadedImage(org);

        Api.Response created = api.post("/whatsapp/templates", imageHeaderTemplate(name), org.key());
        Api.Response pendingSend = api.post("/whatsapp/template/send", seedRequest(name, org, mediaId), org.key());

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(created.json().get("category").asString()).isEqualTo("MARKETING");
        assertThat(created.json().get("metaId").asString()).matches("[0-9]+");
        assertThat(created.json().get("source").asString()).isEqualTo("created");
        assertThat(created.json().at("/components/0/example/header_handle/0").asString())
                .as("the example went through Meta's Resumable Upload")
                .startsWith("4::");
        assertThat(pendingSend.status()).as(pendingSend.text()).isEqualTo(400);
        assertThat(pendingSend.json().get("code").asString()).isEqualTo("template_not_approved");
        assertThat(pendingSend.json().get("field").asString()).isEqualTo("templateName");
        assertThat(pendingSend.json().get("message").asString()).contains(name).contains("PENDING");
        assertThat(sandboxTemplates(org))
                .as("the template exists at Meta, in the org's WABA")
                .contains(name);

        assertThat(statusOf(org, name, "APPROVED")).isEqualTo("APPROVED");
        Api.Response sent = api.post("/whatsapp/template/send", seedRequest(name, org, mediaId), org.key());

        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sent.json().size()).isEqualTo(3);
        for (JsonNode record : sent.json()) {
            assertThat(record.get("message").asString()).isEqualTo(name);
            assertThat(record.at("/response/messages/0/id").asString("")).startsWith("wamid.");
        }
        for (JsonNode customer : customers) {
            assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isEqualTo(1);
        }
    }

    @Test
    void aRejectedTemplateShowsMetasReasonAndIsRefusedNamingItsStatus() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String name = "reject_me_" + randomDigits(8);

        Api.Response created = api.post("/whatsapp/templates", textTemplate(name), org.key());
        String status = statusOf(org, name, "REJECTED");
        Api.Response sent = api.post("/whatsapp/template/send", textSend(name, org), org.key());

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(status).isEqualTo("REJECTED");
        assertThat(template(org, name).get("reason").asString()).isEqualTo("INVALID_FORMAT");
        assertThat(sent.status()).as(sent.text()).isEqualTo(400);
        assertThat(sent.json().get("field").asString()).isEqualTo("templateName");
        assertThat(sent.json().get("message").asString()).contains("REJECTED");
        assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
    }

    @Test
    void pausingATemplateAtMetaPausesItHereRefusesSendsAndTellsTheOrg() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        String name = "order_ready_" + randomDigits(8);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
            api.post("/whatsapp/templates", textTemplate(name), org.key());
            statusOf(org, name, "APPROVED");

            Api.Response paused = api.post("/sandbox/templates/" + name + "/status", Map.of("status", "PAUSED"));
            String status = statusOf(org, name, "PAUSED");
            Api.Response sent = api.post("/whatsapp/template/send", textSend(name, org), org.key());

            assertThat(paused.status()).as(paused.text()).isEqualTo(200);
            assertThat(status).isEqualTo("PAUSED");
            assertThat(sent.status()).as(sent.text()).isEqualTo(400);
            assertThat(sent.json().get("code").asString()).isEqualTo("template_not_approved");
            assertThat(sent.json().get("message").asString()).contains("PAUSED");
            assertThat(sandboxAcceptedTo(customer.get("phone").asString())).isZero();
            List<String> transitions = templateEvents(endpoint, name, 2);
            assertThat(transitions).containsExactly("PENDING->APPROVED", "APPROVED->PAUSED");
        }
    }

    @Test
    void aCampaignOfATemplateMetaPausesPausesItselfWithTheReasonAndTellsTheOrg() {
        TestOrg org = anOrg();
        api.put(
                "/admin/orgs/" + org.orgId() + "/channel",
                Map.of(
                        "phoneNumberId",
                        org.phoneNumberId(),
                        "wabaId",
                        wabaOf(org),
                        "accessToken",
                        sandbox.accessToken(),
                        "throughputPerSecond",
                        2),
                admin());
        List<String> phones = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            phones.add(aCustomer(org).get("phone").asString());
        }
        String name = "campaign_" + randomDigits(8);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
            api.post("/whatsapp/templates", textTemplate(name), org.key());
            statusOf(org, name, "APPROVED");
            Api.Response started = api.post(
                    "/whatsapp/template/send",
                    textSend(name, org),
                    "X-API-KEY",
                    org.apiKey(),
                    "Prefer",
                    "respond-async");
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            String id = started.json().get("id").asString();
            eventually(
                    () -> api.get("/whatsapp/template/broadcasts/" + id, org.key())
                            .json()
                            .get("sent")
                            .asLong(),
                    sent -> sent >= 2,
                    REVIEW);

            api.post("/sandbox/templates/" + name + "/status", Map.of("status", "PAUSED"));
            JsonNode paused = eventually(
                    () -> api.get("/whatsapp/template/broadcasts/" + id, org.key())
                            .json(),
                    b -> b.get("status").asString().equals("paused"),
                    REVIEW);
            assertThat(paused.get("pausedReason").asString()).contains("PAUSED").contains(name);
            JsonNode event = endpoint.next("broadcast.status", REVIEW).json();
            assertThat(event.get("data").get("status").asString()).isEqualTo("paused");
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // no send refused by Meta after the pause: what was sent, was accepted; the rest wait
            JsonNode after =
                    api.get("/whatsapp/template/broadcasts/" + id, org.key()).json();
            assertThat(after.get("failed").asLong()).isZero();
            assertThat(after.get("sent").asLong()).isLessThan(12);
            assertThat(phones.stream().mapToLong(this::sandboxAcceptedTo).sum())
                    .isEqualTo(after.get("sent").asLong());

            // it cannot resume while Meta keeps the template paused; once approved again, it can
            Api.Response early = api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
            assertThat(early.status()).as(early.text()).isEqualTo(409);
            assertThat(early.json().get("code").asString()).isEqualTo("template_not_approved");
            api.post("/sandbox/templates/" + name + "/status", Map.of("status", "APPROVED"));
            statusOf(org, name, "APPROVED");
            Api.Response resumed = api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
        }
    }

    @Test
    void aDeletedTemplatesCampaignIsCancelled() {
        TestOrg org = anOrgSendingPerSecond(1);
        for (int i = 0; i < 6; i++) {
            aCustomer(org);
        }
        String name = "doomed_" + randomDigits(8);
        api.post("/whatsapp/templates", textTemplate(name), org.key());
        statusOf(org, name, "APPROVED");
        String id = api.post(
                        "/whatsapp/template/send",
                        textSend(name, org),
                        "X-API-KEY",
                        org.apiKey(),
                        "Prefer",
                        "respond-async")
                .json()
                .get("id")
                .asString();

        assertThat(api.delete("/whatsapp/templates/" + name + "/en_US", org.key())
                        .status())
                .isEqualTo(200);

        JsonNode cancelled =
                api.get("/whatsapp/template/broadcasts/" + id, org.key()).json();
        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.get("pausedReason").asString()).contains("deleted");
        Api.Response resumed = api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
        assertThat(resumed.status()).isEqualTo(409);
        assertThat(resumed.json().get("code").asString()).isEqualTo("broadcast_cancelled");
    }

    @Test
    void aTemplateDeletedAtMetaAlreadyCanStillBeDeletedHere() {
        TestOrg org = anOrg();
        String name = "gone_at_meta_" + randomDigits(8);
        api.post("/whatsapp/templates", textTemplate(name), org.key());
        Api.Response atMeta = api.delete(
                "/sandbox/graph/v23.0/" + wabaOf(org) + "/message_templates?name=" + name,
                "Authorization",
                "Bearer " + sandbox.accessToken());
        assertThat(atMeta.status()).as(atMeta.text()).isEqualTo(200);

        Api.Response deleted = api.delete("/whatsapp/templates/" + name + "/en_US", org.key());

        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(api.get("/whatsapp/templates/" + name + "/en_US", org.key()).status())
                .isEqualTo(404);
    }

    @Test
    void aStatusWebhookThatComesBeforeItsTemplateIsKnownIsAppliedOnceItIs() {
        TestOrg org = anOrg();
        String name = "early_news_" + randomDigits(8);
        Api.Response early =
                metaWebhook(wabaOf(org), "message_template_status_update", """
                {"event": "REJECTED", "message_template_id": 987654321%s, "message_template_name": "%s",
                 "message_template_language": "en_US", "reason": "INCORRECT_CATEGORY"}""".formatted(randomDigits(4), name));
        assertThat(early.status()).isEqualTo(200);
        Api.Response registered = api.post("/admin/orgs/" + org.orgId() + "/templates", """
                {"name": "%s", "language": "en_US",
                 "components": [{"type": "BODY", "text": "Hello"}]}""".formatted(name), admin());
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);

        JsonNode rejected = eventually(
                () -> template(org, name), t -> t.path("status").asString("").equals("REJECTED"), REVIEW);
        assertThat(rejected.get("reason").asString()).isEqualTo("INCORRECT_CATEGORY");
    }

    @Test
    void webhookStatusesAreMetasOwnAndAnotherTemplatesIdChangesNothing() {
        TestOrg org = anOrg();
        String name = "checked_" + randomDigits(8);
        String metaId = api.post("/whatsapp/templates", textTemplate(name), org.key())
                .json()
                .get("metaId")
                .asString();
        statusOf(org, name, "APPROVED");
        String waba = wabaOf(org);
        String value = """
                {"event": "%s", "message_template_id": %s, "message_template_name": "%s",
                 "message_template_language": "en_US", "reason": "%s"}""";

        metaWebhook(waba, "message_template_status_update", value.formatted("FLAGGED", metaId, name, "NONE"));
        metaWebhook(waba, "message_template_status_update", value.formatted("MADE_UP", metaId, name, "NONE"));
        // the same name with another template's id: another template (another account's, or one made anew)
        metaWebhook(waba, "message_template_status_update", value.formatted("DISABLED", metaId + "1", name, "NONE"));
        sleep(1500);
        assertThat(template(org, name).get("status").asString()).isEqualTo("APPROVED");

        metaWebhook(
                waba, "message_template_status_update", value.formatted("REJECTED", metaId, name, "x".repeat(5000)));
        JsonNode rejected = eventually(
                () -> template(org, name), t -> t.path("status").asString("").equals("REJECTED"), REVIEW);
        assertThat(rejected.get("reason").asString()).hasSize(1000);

        // a webhook of an earlier time (retried, or sent again late) changes nothing
        metaWebhook(
                waba,
                "message_template_status_update",
                value.formatted("APPROVED", metaId, name, "NONE"),
                Instant.now().minusSeconds(3600));
        sleep(1500);
        assertThat(template(org, name).get("status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void anEditGoesToMetaAndIsReviewedAgain() {
        TestOrg org = anOrg();
        String name = "edited_" + randomDigits(8);
        api.post("/whatsapp/templates", textTemplate(name), org.key());
        statusOf(org, name, "APPROVED");

        Api.Response edited = api.patch(
                "/whatsapp/templates/" + name + "/en_US",
                Map.of(
                        "components",
                        List.of(Map.of(
                                "type",
                                "BODY",
                                "text",
                                "Hello {{1}}, it is ready",
                                "example",
                                Map.of("body_text", List.of(List.of("Ann")))))),
                org.key());

        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        assertThat(edited.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(edited.json().at("/components/0/text").asString()).isEqualTo("Hello {{1}}, it is ready");
        assertThat(statusOf(org, name, "APPROVED")).isEqualTo("APPROVED");
    }

    @Test
    void aDeletedTemplateIsGoneHereAndAtMeta() {
        TestOrg org = anOrg();
        String name = "short_lived_" + randomDigits(8);
        api.post("/whatsapp/templates", textTemplate(name), org.key());

        Api.Response deleted = api.delete("/whatsapp/templates/" + name + "/en_US", org.key());

        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().at("/deleted/0/name").asString()).isEqualTo(name);
        assertThat(api.get("/whatsapp/templates/" + name + "/en_US", org.key()).status())
                .isEqualTo(404);
        assertThat(sandboxTemplates(org)).doesNotContain(name);
    }

    @Test
    void anotherOrgCannotSeeEditOrDeleteTheTemplate() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        String name = "private_" + randomDigits(8);
        api.post("/whatsapp/templates", textTemplate(name), org.key());

        Api.Response seen = api.get("/whatsapp/templates/" + name + "/en_US", other.key());
        Api.Response listed = api.get("/whatsapp/templates?name=" + name, other.key());
        Api.Response edited =
                api.patch("/whatsapp/templates/" + name + "/en_US", Map.of("category", "UTILITY"), other.key());
        Api.Response deleted = api.delete("/whatsapp/templates/" + name, other.key());
        Api.Response deletedOne = api.delete("/whatsapp/templates/" + name + "/en_US", other.key());

        assertThat(seen.status()).isEqualTo(404);
        assertThat(listed.json().get("data").size()).isZero();
        assertThat(edited.status()).as(edited.text()).isEqualTo(404);
        assertThat(deleted.status()).isEqualTo(404);
        assertThat(deletedOne.status()).isEqualTo(404);
        assertThat(api.get("/whatsapp/templates/" + name + "/en_US", org.key()).status())
                .isEqualTo(200);
        assertThat(sandboxTemplates(org)).contains(name);
    }

    @Test
    void badCreateRequestsAre400NamingTheFieldAndReachNeitherMetaNorTheRegistry() {
        TestOrg org = anOrg();
        String name = "bad_" + randomDigits(8);

        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("name", with(textTemplate(name), t -> t.put("name", "Spring-Sale")));
        fields.put("category", with(textTemplate(name), t -> t.put("category", "PROMOTIONS")));
        fields.put(
                "components[0].text",
                with(textTemplate(name), t -> ((ObjectNode) t.get("components").get(0)).put("text", "x".repeat(1025))));
        fields.put(
                "components[0].example.body_text",
                with(textTemplate(name), t -> ((ObjectNode) t.get("components").get(0)).remove("example")));
        fields.put(
                "components[0].example",
                with(
                        imageHeaderTemplate(name),
                        t -> ((ObjectNode) t.get("components").get(0)).remove("example")));
        fields.put("language", with(textTemplate(name), t -> t.remove("language")));

        for (Map.Entry<String, String> bad : fields.entrySet()) {
            Api.Response refused = api.post("/whatsapp/templates", bad.getValue(), org.key());

            assertThat(refused.status())
                    .as(bad.getKey() + ": " + refused.text())
                    .isEqualTo(400);
            assertThat(refused.json().get("field").asString()).isEqualTo(bad.getKey());
        }
        assertThat(api.get("/whatsapp/templates", org.key()).json().get("data").size())
                .isZero();
        assertThat(sandboxTemplates(org)).doesNotContain(name);
    }

    @Test
    void aKeyWithoutManageTemplatesMayListButNotCreate() {
        TestOrg org = anOrg();
        Api.Response key =
                api.post("/whatsapp/api-keys", Map.of("name", "reader", "scopes", List.of("read")), org.key());
        String reader = key.json().get("key").asString();

        Api.Response created =
                api.post("/whatsapp/templates", textTemplate("nope_" + randomDigits(6)), "X-API-KEY", reader);
        Api.Response listed = api.get("/whatsapp/templates", "X-API-KEY", reader);

        assertThat(created.status()).isEqualTo(403);
        assertThat(created.json().get("code").asString()).isEqualTo("insufficient_scope");
        assertThat(listed.status()).isEqualTo(200);
    }

    @Test
    void theOrgSyncsTemplatesMadeAtMetaDirectly() {
        TestOrg org = anOrg();
        String name = "made_at_meta_" + randomDigits(8);
        Api.Response atMeta = api.post(
                "/sandbox/graph/v23.0/" + wabaOf(org) + "/message_templates",
                textTemplate(name),
                "Authorization",
                "Bearer " + sandbox.accessToken());
        assertThat(atMeta.status()).as(atMeta.text()).isEqualTo(200);
        assertThat(api.get("/whatsapp/templates/" + name + "/en_US", org.key()).status())
                .isEqualTo(404);
        String reader = api.post("/whatsapp/api-keys", Map.of("name", "reader", "scopes", List.of("read")), org.key())
                .json()
                .get("key")
                .asString();
        assertThat(api.post("/whatsapp/templates/sync", Map.of(), "X-API-KEY", reader)
                        .status())
                .isEqualTo(403);

        Api.Response synced = api.post("/whatsapp/templates/sync", Map.of(), org.key());

        assertThat(synced.status()).as(synced.text()).isEqualTo(200);
        assertThat(synced.json().get("synced").asInt()).isPositive();
        JsonNode template = template(org, name);
        assertThat(template.get("metaId").asString())
                .isEqualTo(atMeta.json().get("id").asString());
        assertThat(template.get("source").asString()).isEqualTo("synced");
    }

    @Test
    void theOperatorCreatesAndListsAnOrgsTemplatesWithTheirStatus() {
        TestOrg org = anOrg();
        String name = "operator_made_" + randomDigits(8);

        Api.Response created =
                api.post("/admin/orgs/" + org.orgId() + "/templates/submit", textTemplate(name), admin());
        eventually(
                () -> api.get("/admin/orgs/" + org.orgId() + "/templates?status=APPROVED", admin())
                        .json()
                        .get("data"),
                data -> data.size() == 1,
                REVIEW);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(api.get("/admin/orgs/" + org.orgId() + "/templates/" + name + "/en_US", admin())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("APPROVED");
        assertThat(api.get("/whatsapp/templates/" + name + "/en_US", org.key()).status())
                .isEqualTo(200);
    }

    @Test
    void metasQualityAndCategoryWebhooksReachTheRegistryOfTheOrgOnThatAccount() {
        TestOrg org = anOrg();
        TestOrg other = anOrg();
        String name = "rated_" + randomDigits(8);
        String metaId = api.post("/whatsapp/templates", textTemplate(name), org.key())
                .json()
                .get("metaId")
                .asString();
        String waba = wabaOf(org);

        Api.Response quality = metaWebhook(waba, "message_template_quality_update", """
                {"previous_quality_score": "GREEN", "new_quality_score": "RED", "message_template_id": %s,
                 "message_template_name": "%s", "message_template_language": "en_US"}""".formatted(metaId, name));
        Api.Response category = metaWebhook(waba, "template_category_update", """
                {"message_template_id": %s, "message_template_name": "%s", "message_template_language": "en_US",
                 "previous_category": "UTILITY", "new_category": "MARKETING"}""".formatted(metaId, name));
        Api.Response elsewhere =
                metaWebhook(wabaOf(other), "message_template_quality_update", """
                {"new_quality_score": "YELLOW", "message_template_id": %s,
                 "message_template_name": "%s", "message_template_language": "en_US"}""".formatted(metaId, name));

        assertThat(quality.status()).isEqualTo(200);
        assertThat(category.status()).isEqualTo(200);
        assertThat(elsewhere.status()).isEqualTo(200);
        JsonNode rated = eventually(
                () -> template(org, name),
                t -> t.path("qualityScore").asString("").equals("RED")
                        && t.path("category").asString("").equals("MARKETING"),
                REVIEW);
        assertThat(rated.get("qualityScore").asString())
                .as("a webhook for another account changes nothing here")
                .isEqualTo("RED");
    }

    private Api.Response metaWebhook(String wabaId, String field, String value) {
        return metaWebhook(wabaId, field, value, Instant.now());
    }

    private Api.Response metaWebhook(String wabaId, String field, String value, Instant time) {
        String body = """
                {"object": "whatsapp_business_account",
                 "entry": [{"id": "%s", "time": %d, "changes": [{"field": "%s", "value": %s}]}]}""".formatted(wabaId, time.getEpochSecond(), field, value);
        return api.send(api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .header(
                        MetaSignature.HEADER,
                        MetaSignature.sign(metaApp.appSecret(), body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String wabaOf(TestOrg org) {
        return db.sql("SELECT waba_id FROM channels WHERE org_id = :orgId AND is_default")
                .param("orgId", org.orgId())
                .query(String.class)
                .single();
    }

    private String statusOf(TestOrg org, String name, String expected) {
        return eventually(() -> template(org, name).path("status").asString(""), expected::equals, REVIEW);
    }

    private JsonNode template(TestOrg org, String name) {
        return api.get("/whatsapp/templates/" + name + "/en_US", org.key()).json();
    }

    /** The template names the sandbox (Meta) lists for the org's WABA. */
    private List<String> sandboxTemplates(TestOrg org) {
        String waba = wabaOf(org);
        JsonNode listed = api.get(
                        "/sandbox/graph/v23.0/" + waba + "/message_templates",
                        "Authorization",
                        "Bearer " + sandbox.accessToken())
                .json();
        List<String> names = new ArrayList<>();
        listed.get("data").forEach(t -> names.add(t.get("name").asString()));
        return names;
    }

    /** The template.status events of one template, as "previous->status", in the order they arrived. */
    private static List<String> templateEvents(OrgEndpoint endpoint, String name, int count) {
        List<String> transitions = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(15);
        while (transitions.size() < count && Instant.now().isBefore(until)) {
            JsonNode body = endpoint.next(Duration.ofSeconds(15)).json();
            if (body.get("type").asString().equals("template.status")
                    && body.at("/data/name").asString().equals(name)) {
                transitions.add(body.at("/data/previousStatus").asString() + "->"
                        + body.at("/data/status").asString());
            }
        }
        return transitions;
    }

    private String anUploadedImage(TestOrg org) {
        Api.Response uploaded = api.send(new Multipart()
                .field("orgId", org.orgId())
                .field("type", "image/jpeg")
                .file("file", "example.jpeg", "image/jpeg", MediaFixtures.jpeg())
                .post(api.request("/whatsapp/uploads/media_upload", "X-API-KEY", org.apiKey())));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(200);
        return uploaded.json().get("id").asString();
    }

    private static String imageHeaderTemplate(String name) {
        return """
                {"name": "%s", "language": "en_US", "category": "MARKETING",
                 "components": [
                   {"type": "HEADER", "format": "IMAGE",
                    "example": {"header_file": {"type": "image/png", "data": "%s"}}},
                   {"type": "BODY", "text": "Hi {{1}}, see {{2}}",
                    "example": {"body_text": [["Ann", "https://replyhero.io/"]]}}
                 ]}""".formatted(name, Base64.getEncoder().encodeToString(MediaFixtures.png()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String textTemplate(String name) {
        return """
                {"name": "%s", "language": "en_US", "category": "UTILITY",
                 "components": [
                   {"type": "BODY", "text": "Hi {{1}}, your order is ready",
                    "example": {"body_text": [["Ann"]]}}
                 ]}""".formatted(name);
    }

    private static String with(String json, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode node = (ObjectNode) Api.json().readTree(json);
        change.accept(node);
        return node.toString();
    }

    private static Map<String, Object> textSend(String name, TestOrg org) {
        return Map.of(
                "templateName", name,
                "sessionId", "SESSION_ID",
                "orgId", org.orgId(),
                "userId", org.userId(),
                "components",
                        List.of(Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "Ann")))));
    }

    private static String seedRequest(String template, TestOrg org, String mediaId) {
        return SEED_BODY.formatted(template, org.orgId(), org.userId(), mediaId);
    }
}
