package com.replyhero.whatsapp.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.metawebhooks.MetaApp;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A number's health as Meta reports it (through the sandbox): its quality rating and messaging limit tier on the
 * channel, a {@code number.quality} event to the org, its broadcasts paused when it turns RED; a webhook for another
 * org's number or account changes nothing of this org's.
 */
class NumberHealthTest extends GatewayTest {

    @Autowired
    MetaApp metaApp;

    @Test
    void aNumberFlaggedRedShowsOnItsChannelTellsTheOrgAndPausesOnlyItsOwnBroadcasts() throws Exception {
        TestOrg org = anOrgSendingPerSecond(1);
        String wabaId = wabaOf(org, org.channelId());
        JsonNode second = aSecondNumber(org, wabaId);
        String secondId = second.get("id").asString();
        String secondNumber = second.get("phoneNumberId").asString();
        // Meta's quality webhooks name a number by its display phone number: the gateway learns it from the first
        // messages webhook of each number
        writeIn(org, aCustomer(org).get("phone").asString(), "hi");
        writeInTo(secondNumber, aCustomer(org).get("phone").asString());
        eventually(() -> health(org, secondId), h -> h.has("displayPhoneNumber"), Duration.ofSeconds(10));
        eventually(() -> health(org, org.channelId()), h -> h.has("displayPhoneNumber"), Duration.ofSeconds(10));
        customers(org, 10);

        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);
            String flaggedOne = broadcast(org, Map.of());
            String otherOne = broadcast(org, Map.of("channelId", secondId));

            Api.Response flagged = api.post(
                    "/sandbox/numbers/" + org.phoneNumberId() + "/quality",
                    Map.of("wabaId", wabaId, "qualityRating", "RED"));
            assertThat(flagged.status()).as(flagged.text()).isEqualTo(202);

            JsonNode health = eventually(
                    () -> health(org, org.channelId()),
                    h -> "RED".equals(h.path("qualityRating").asString(null)),
                    Duration.ofSeconds(10));
            assertThat(health.get("qualityEvent").asString()).isEqualTo("FLAGGED");
            assertThat(health.get("messagingLimit").asString()).isEqualTo("TIER_1K");
            JsonNode event = endpoint.next("number.quality", Duration.ofSeconds(10))
                    .json()
                    .get("data");
            assertThat(event.get("channelId").asString()).isEqualTo(org.channelId());
            assertThat(event.get("qualityRating").asString()).isEqualTo("RED");
            assertThat(event.get("event").asString()).isEqualTo("FLAGGED");
            assertThat(event.get("previousQualityRating").isNull()).isTrue();

            JsonNode paused = progress(org, flaggedOne);
            assertThat(paused.get("status").asString()).isEqualTo("paused");
            assertThat(paused.get("pausedReason").asString()).startsWith("number_quality_red");
            // events of different subjects may arrive in any order
            JsonNode pausedEvent = eventually(
                            () -> endpoint.all().stream()
                                    .filter(r -> r.type().equals("broadcast.status"))
                                    .findFirst(),
                            java.util.Optional::isPresent,
                            Duration.ofSeconds(10))
                    .orElseThrow()
                    .json()
                    .get("data");
            assertThat(pausedEvent.get("broadcastId").asString()).isEqualTo(flaggedOne);
            assertThat(pausedEvent.get("reason").asString()).startsWith("number_quality_red");
            assertThat(progress(org, otherOne).get("status").asString())
                    .as("the org's other number is fine")
                    .isEqualTo("running");
            assertThat(health(org, secondId).has("qualityRating")).isFalse();
            JsonNode recorded = api.get("/whatsapp/account-events", org.key())
                    .json()
                    .get("data")
                    .get(0);
            assertThat(recorded.get("field").asString()).isEqualTo("phone_number_quality_update");
            assertThat(recorded.get("channelId").asString()).isEqualTo(org.channelId());
            assertThat(recorded.at("/value/event").asString()).isEqualTo("FLAGGED");
            // the operator sees it too
            assertThat(api.get("/admin/orgs/" + org.orgId() + "/channels/" + org.channelId(), admin())
                            .json()
                            .at("/health/qualityRating")
                            .asString())
                    .isEqualTo("RED");

            // Meta sends a webhook more than once: the same report again changes nothing and tells nothing
            api.post(
                    "/sandbox/numbers/" + org.phoneNumberId() + "/quality",
                    Map.of("wabaId", wabaId, "qualityRating", "RED"));
            Api.Response resumed =
                    api.post("/whatsapp/template/broadcasts/" + flaggedOne + "/resume", Map.of(), org.key());
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            Thread.sleep(1500);
            assertThat(progress(org, flaggedOne).get("status").asString())
                    .as("resumed by the org, not paused again by a repeated webhook")
                    .isIn("running", "completed");
            assertThat(endpoint.all().stream()
                            .filter(r -> r.type().equals("number.quality"))
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aTierChangeShowsOnTheChannelAndPausesNothing() {
        TestOrg org = anOrgSendingPerSecond(1);
        String wabaId = wabaOf(org, org.channelId());
        writeIn(org, aCustomer(org).get("phone").asString(), "hi");
        eventually(() -> health(org, org.channelId()), h -> h.has("displayPhoneNumber"), Duration.ofSeconds(10));
        customers(org, 5);
        String running = broadcast(org, Map.of());

        Api.Response upgraded = api.post(
                "/sandbox/numbers/" + org.phoneNumberId() + "/quality",
                Map.of("wabaId", wabaId, "messagingLimit", "TIER_10K"));
        assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(202);

        JsonNode health = eventually(
                () -> health(org, org.channelId()),
                h -> "TIER_10K".equals(h.path("messagingLimit").asString(null)),
                Duration.ofSeconds(10));
        assertThat(health.get("qualityEvent").asString()).isEqualTo("UPGRADE");
        assertThat(health.has("qualityRating")).isFalse();
        JsonNode listed =
                api.get("/whatsapp/channels", org.key()).json().get("data").get(0);
        assertThat(listed.at("/health/messagingLimit").asString()).isEqualTo("TIER_10K");
        assertThat(progress(org, running).get("status").asString()).isIn("running", "completed");

        // a webhook of an earlier time (Meta retries for days) changes nothing
        Api.Response stale =
                signed("""
                {"object": "whatsapp_business_account", "entry": [{"id": "%s", "time": 1739321024, "changes": [
                  {"field": "phone_number_quality_update", "value": {"display_phone_number": "%s",
                   "event": "FLAGGED", "current_limit": "TIER_1K"}}]}]}
                """.formatted(wabaId, health.get("displayPhoneNumber").asString()));
        assertThat(stale.status()).isEqualTo(200);
        eventually(
                () -> db.sql("SELECT count(*) FROM meta_events WHERE body LIKE '%1739321024%' AND body LIKE :waba"
                                + " AND processed_at IS NOT NULL")
                        .param("waba", "%" + wabaId + "%")
                        .query(Long.class)
                        .single(),
                n -> n == 1,
                Duration.ofSeconds(10));
        JsonNode after = health(org, org.channelId());
        assertThat(after.get("messagingLimit").asString()).isEqualTo("TIER_10K");
        assertThat(after.has("qualityRating")).isFalse();
    }

    @Test
    void aQualityWebhookForAnotherOrgsNumberOrAccountChangesNothingOfThisOrg() {
        TestOrg mine = anOrgSendingPerSecond(1);
        TestOrg theirs = anOrgSendingPerSecond(1);
        String myWaba = wabaOf(mine, mine.channelId());
        String theirWaba = wabaOf(theirs, theirs.channelId());
        writeIn(mine, aCustomer(mine).get("phone").asString(), "hi");
        writeIn(theirs, aCustomer(theirs).get("phone").asString(), "hi");
        eventually(() -> health(mine, mine.channelId()), h -> h.has("displayPhoneNumber"), Duration.ofSeconds(10));
        eventually(() -> health(theirs, theirs.channelId()), h -> h.has("displayPhoneNumber"), Duration.ofSeconds(10));
        customers(mine, 5);
        String running = broadcast(mine, Map.of());

        // their number named on my account, my number named on their account, my number on an account nobody has
        flag(theirs.phoneNumberId(), myWaba);
        flag(mine.phoneNumberId(), theirWaba);
        String nobodys = "3" + randomDigits(14);
        flag(mine.phoneNumberId(), nobodys);
        eventually(
                () -> db.sql("SELECT count(*) FROM meta_events WHERE body LIKE :waba AND processed_at IS NOT NULL")
                        .param("waba", "%" + nobodys + "%")
                        .query(Long.class)
                        .single(),
                n -> n == 1,
                Duration.ofSeconds(10));
        // their own number on their own account, last: once it has applied, the ones before have too
        flag(theirs.phoneNumberId(), theirWaba);
        eventually(
                () -> health(theirs, theirs.channelId()),
                h -> "RED".equals(h.path("qualityRating").asString(null)),
                Duration.ofSeconds(10));

        assertThat(health(mine, mine.channelId()).has("qualityRating")).isFalse();
        assertThat(progress(mine, running).get("status").asString()).isIn("running", "completed");
        // an alert on their account is theirs only
        Api.Response alert = signed("""
                {"object": "whatsapp_business_account", "entry": [{"id": "%s", "time": 1739321024, "changes": [
                  {"field": "account_alerts", "value": {"entity_type": "PHONE_NUMBER", "entity_id": "%s",
                   "alert_info": {"alert_severity": "WARNING", "alert_status": "ACTIVE",
                                  "alert_type": "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
                                  "alert_description": "Limits cannot be increased yet."}}}]}]}
                """.formatted(theirWaba, theirs.phoneNumberId()));
        assertThat(alert.status()).isEqualTo(200);
        JsonNode theirEvents = eventually(
                () -> api.get("/whatsapp/account-events", theirs.key()).json().get("data"),
                events -> events.size() == 2,
                Duration.ofSeconds(10));
        assertThat(theirEvents.get(0).get("field").asString()).isEqualTo("account_alerts");
        assertThat(theirEvents.get(0).get("event").asString()).isEqualTo("INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED");
        assertThat(theirEvents.get(0).get("channelId").asString()).isEqualTo(theirs.channelId());
        assertThat(theirEvents.get(1).get("field").asString()).isEqualTo("phone_number_quality_update");
        JsonNode firstPage =
                api.get("/whatsapp/account-events?limit=1", theirs.key()).json();
        assertThat(firstPage.get("data")).hasSize(1);
        JsonNode secondPage = api.get(
                        "/whatsapp/account-events?limit=1&cursor="
                                + firstPage.get("nextCursor").asString(),
                        theirs.key())
                .json();
        assertThat(secondPage.get("data").get(0).get("field").asString()).isEqualTo("phone_number_quality_update");
        assertThat(api.get("/whatsapp/account-events", mine.key()).json().get("data"))
                .as("nothing of theirs, nor of the webhooks that named my number on accounts not mine")
                .isEmpty();
        assertThat(db.sql("SELECT last_error FROM meta_events WHERE body LIKE :waba")
                        .param("waba", "%" + nobodys + "%")
                        .query(String.class)
                        .single())
                .contains("no org has the number");
    }

    private Api.Response signed(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return api.send(api.request("/webhooks/meta")
                .header("Content-Type", "application/json")
                .header(MetaSignature.HEADER, MetaSignature.sign(metaApp.appSecret(), bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private void flag(String phoneNumberId, String wabaId) {
        Api.Response flagged = api.post(
                "/sandbox/numbers/" + phoneNumberId + "/quality", Map.of("wabaId", wabaId, "qualityRating", "RED"));
        assertThat(flagged.status()).as(flagged.text()).isEqualTo(202);
    }

    private JsonNode health(TestOrg org, String channelId) {
        return api.get("/whatsapp/channels/" + channelId, org.key()).json().get("health");
    }

    private String wabaOf(TestOrg org, String channelId) {
        return api.get("/whatsapp/channels/" + channelId, org.key())
                .json()
                .get("wabaId")
                .asString();
    }

    private JsonNode aSecondNumber(TestOrg org, String wabaId) {
        Api.Response added = api.post(
                "/admin/orgs/" + org.orgId() + "/channels",
                Map.of(
                        "phoneNumberId",
                        "1" + randomDigits(14),
                        "wabaId",
                        wabaId,
                        "accessToken",
                        sandbox.accessToken(),
                        "throughputPerSecond",
                        1,
                        "name",
                        "Second number"),
                admin());
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        return added.json();
    }

    private void writeInTo(String phoneNumberId, String phone) {
        Api.Response answer = api.post(
                "/sandbox/customers/" + phone + "/messages", Map.of("text", "hi", "phoneNumberId", phoneNumberId));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    private List<String> customers(TestOrg org, int n) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            phones.add(aCustomer(org).get("phone").asString());
        }
        return phones;
    }

    private String broadcast(TestOrg org, Map<String, Object> extra) {
        Map<String, Object> request = helloWorldSend(org);
        request.putAll(extra);
        Api.Response sent =
                api.post("/whatsapp/template/send", request, "X-API-KEY", org.apiKey(), "Prefer", "respond-async");
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        return sent.json().get("id").asString();
    }

    private JsonNode progress(TestOrg org, String id) {
        return api.get("/whatsapp/template/broadcasts/" + id, org.key()).json();
    }

    private void subscribe(TestOrg org, OrgEndpoint endpoint) {
        Api.Response webhook = api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
    }
}
