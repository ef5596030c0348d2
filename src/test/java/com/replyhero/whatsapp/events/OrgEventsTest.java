package com.replyhero.whatsapp.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class OrgEventsTest extends GatewayTest {

    @Autowired
    private EventRetention retention;

    @Autowired
    private EventDispatcher dispatcher;

    private String subscribe(TestOrg org, OrgEndpoint endpoint) {
        Api.Response webhook = api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
        return webhook.json().get("secret").asString();
    }

    @Test
    void aCustomerWritingInReachesTheOrgsEndpointSignedWithinASecond() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            String secret = subscribe(org, endpoint);

            Instant wroteIn = Instant.now();
            writeIn(org, customer.get("phone").asString(), "where is my order?");

            OrgEndpoint.Received event = endpoint.next(Duration.ofSeconds(1));
            assertThat(Duration.between(wroteIn, event.at())).isLessThan(Duration.ofSeconds(1));
            assertThat(event.signedWith(secret)).isTrue();
            assertThat(event.header("webhook-id")).startsWith("msg_");
            assertThat(Long.parseLong(event.header("webhook-timestamp")))
                    .isBetween(wroteIn.getEpochSecond() - 1, Instant.now().getEpochSecond() + 1);
            JsonNode body = event.json();
            assertThat(body.get("type").asString()).isEqualTo("message.received");
            JsonNode data = body.get("data");
            assertThat(data.get("message").asString()).isEqualTo("where is my order?");
            assertThat(data.get("messageType").asString()).isEqualTo("user");
            assertThat(data.get("customerId").asString())
                    .isEqualTo(customer.get("id").asString());
            assertThat(data.get("orgId").asString()).isEqualTo(org.orgId());
            assertThat(data.get("content").get("text").get("body").asString()).isEqualTo("where is my order?");
        }
    }

    @Test
    void aDispatcherStoppedAndStartedAgainStillDelivers() {
        // Spring pauses (stops) a cached context between test classes and starts it again; so can an operator
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);

            dispatcher.stop();
            dispatcher.start();
            writeIn(org, customer.get("phone").asString(), "still there?");

            JsonNode data = endpoint.next(Duration.ofSeconds(5)).json().get("data");
            assertThat(data.get("message").asString()).isEqualTo("still there?");
        }
    }

    @Test
    void aFinishedBroadcastIsReportedOnceAsBroadcastCompleted() {
        TestOrg org = anOrg();
        aCustomer(org);
        aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);

            Api.Response started = api.post(
                    "/whatsapp/template/send",
                    Map.of(
                            "templateName", "hello_world",
                            "sessionId", "SESSION_ID",
                            "orgId", org.orgId(),
                            "userId", org.userId(),
                            "components", List.of()),
                    "X-API-KEY",
                    org.apiKey(),
                    "Prefer",
                    "respond-async");
            assertThat(started.status()).as(started.text()).isEqualTo(202);
            String broadcastId = started.json().get("id").asString();

            List<JsonNode> completions = new ArrayList<>();
            Instant until = Instant.now().plusSeconds(15);
            while (completions.isEmpty() && Instant.now().isBefore(until)) {
                JsonNode body = endpoint.next(Duration.ofSeconds(15)).json();
                if (body.get("type").asString().equals("broadcast.completed")) {
                    completions.add(body.get("data"));
                }
            }

            assertThat(completions).hasSize(1);
            JsonNode data = completions.getFirst();
            assertThat(data.get("broadcastId").asString()).isEqualTo(broadcastId);
            assertThat(data.get("total").asInt()).isEqualTo(2);
            assertThat(data.get("sent").asInt() + data.get("failed").asInt()).isEqualTo(2);
            assertThat(api.get("/whatsapp/template/broadcasts/" + broadcastId, org.key())
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("completed");
        }
    }

    @Test
    void aSendGivesStatusEventsInOrderAndTheRecordShowsRead() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);

            Api.Response sent = api.post(
                    "/whatsapp/messages/send",
                    textRequest(org, customer.get("id").asString(), "hi"),
                    org.key());

            assertThat(sent.status()).isEqualTo(200);
            String id = sent.json().get("id").asString();
            List<String> statuses = new ArrayList<>();
            while (!statuses.contains("read")) {
                JsonNode data = endpoint.next("message.status", Duration.ofSeconds(10))
                        .json()
                        .get("data");
                assertThat(data.get("id").asString()).isEqualTo(id);
                statuses.add(data.get("status").asString());
            }
            assertThat(statuses).containsExactly("sent", "delivered", "read");
            assertThat(api.get("/whatsapp/messages/" + id, org.key())
                            .json()
                            .get("status")
                            .asString())
                    .isEqualTo("read");
        }
    }

    @Test
    void anEventTheEndpointRefusesThreeTimesArrivesAgainWithTheSameIdAndIsThenDelivered() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start().answer(500, 500, 500).otherwise(200)) {
            String secret = subscribe(org, endpoint);

            writeIn(org, customer.get("phone").asString(), "hello?");

            List<OrgEndpoint.Received> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(endpoint.next(Duration.ofSeconds(10)));
            }
            String webhookId = attempts.getFirst().header("webhook-id");
            assertThat(attempts).allSatisfy(a -> {
                assertThat(a.header("webhook-id")).isEqualTo(webhookId);
                assertThat(a.body()).isEqualTo(attempts.getFirst().body());
                assertThat(a.signedWith(secret)).isTrue();
            });
            JsonNode event = eventually(
                    () -> api.get("/whatsapp/webhook/events/" + webhookId, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("delivered"),
                    Duration.ofSeconds(5));
            assertThat(event.get("attempts").asInt()).isEqualTo(4);
            assertThat(event.get("attemptHistory").findValuesAsString("responseStatus"))
                    .containsExactly("500", "500", "500", "200");
            JsonNode listed =
                    api.get("/whatsapp/webhook/events", org.key()).json().get("data");
            assertThat(listed.get(0).get("id").asString()).isEqualTo(webhookId);
            assertThat(listed.get(0).get("attemptHistory")).hasSize(4);
        }
    }

    @Test
    void anEndpointAnswering410IsDisabledUntilTheOrgSetsItAgainAndNoEventIsLost() throws Exception {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start().answer(410).otherwise(200)) {
            subscribe(org, endpoint);
            writeIn(org, customer.get("phone").asString(), "first");
            String first = endpoint.next(Duration.ofSeconds(10)).header("webhook-id");

            JsonNode disabled = eventually(
                    () -> api.get("/whatsapp/webhook", org.key()).json(),
                    w -> w.hasNonNull("disabledAt"),
                    Duration.ofSeconds(5));
            writeIn(org, customer.get("phone").asString(), "second");
            Thread.sleep(1500); // a dispatcher round or more: nothing may reach a disabled endpoint
            int whileDisabled = endpoint.all().size();
            subscribe(org, endpoint); // the org sets its webhook again: enabled

            List<String> ids = new ArrayList<>();
            ids.add(endpoint.next(Duration.ofSeconds(10)).header("webhook-id"));
            ids.add(endpoint.next(Duration.ofSeconds(10)).header("webhook-id"));

            assertThat(disabled.get("disabledReason").asString()).contains("410");
            assertThat(whileDisabled).isEqualTo(1);
            assertThat(ids).hasSize(2).contains(first).doesNotHaveDuplicates();
            assertThat(api.get("/whatsapp/webhook", org.key()).json().hasNonNull("disabledAt"))
                    .isFalse();
            eventually(
                    () -> api.get("/whatsapp/webhook/events/" + first, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("delivered"),
                    Duration.ofSeconds(5));
        }
    }

    @Test
    void anEventStillFailingAfterItsRetryPeriodIsDeadAndCanBeReplayed() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start().otherwise(503)) {
            subscribe(org, endpoint);
            writeIn(org, customer.get("phone").asString(), "anyone there?");
            String webhookId = endpoint.next(Duration.ofSeconds(5)).header("webhook-id");
            // a day passes: the retry period is over
            db.sql("UPDATE org_events SET retry_until = now() - interval '1 second' WHERE org_id = :orgId AND id = :id")
                    .param("orgId", org.orgId())
                    .param("id", webhookId)
                    .update();

            JsonNode dead = eventually(
                    () -> api.get("/whatsapp/webhook/events/" + webhookId, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("dead"),
                    Duration.ofSeconds(10));
            assertThat(dead.get("lastError").asString()).isEqualTo("HTTP 503");
            JsonNode deadOnes = api.get("/whatsapp/webhook/events?status=dead", org.key())
                    .json()
                    .get("data");
            assertThat(deadOnes).hasSize(1);
            assertThat(deadOnes.get(0).get("id").asString()).isEqualTo(webhookId);
            endpoint.otherwise(200);
            Api.Response replay = api.post("/whatsapp/webhook/events/" + webhookId + "/replay", "", org.key());

            assertThat(replay.status()).as(replay.text()).isEqualTo(202);
            JsonNode delivered = eventually(
                    () -> api.get("/whatsapp/webhook/events/" + webhookId, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("delivered"),
                    Duration.ofSeconds(10));
            assertThat(endpoint.all().getLast().header("webhook-id")).isEqualTo(webhookId);
            assertThat(delivered
                            .get("attemptHistory")
                            .get(delivered.get("attempts").asInt() - 1)
                            .get("responseStatus")
                            .asInt())
                    .isEqualTo(200);
        }
    }

    @Test
    void aSlowEndpointOfOneOrgDoesNotHoldUpAnotherOrgsEvents() {
        TestOrg slowOrg = anOrg();
        TestOrg otherOrg = anOrg();
        JsonNode slowCustomer = aCustomer(slowOrg);
        JsonNode otherCustomer = aCustomer(otherOrg);
        try (OrgEndpoint slow = OrgEndpoint.start().delay(Duration.ofSeconds(4));
                OrgEndpoint other = OrgEndpoint.start()) {
            subscribe(slowOrg, slow);
            subscribe(otherOrg, other);
            for (int i = 0; i < 12; i++) {
                writeIn(slowOrg, slowCustomer.get("phone").asString(), "message " + i);
            }

            Instant wroteIn = Instant.now();
            writeIn(otherOrg, otherCustomer.get("phone").asString(), "hi");

            OrgEndpoint.Received event = other.next(Duration.ofSeconds(2));
            assertThat(Duration.between(wroteIn, event.at())).isLessThan(Duration.ofSeconds(2));
            // the slow org never has more than its per-org bound in flight
            assertThat(slow.all().size()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void anotherOrgCannotSeeOrReplayAnOrgsEvents() {
        TestOrg org = anOrg();
        TestOrg intruder = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);
            writeIn(org, customer.get("phone").asString(), "private");
            String webhookId = endpoint.next(Duration.ofSeconds(5)).header("webhook-id");

            Api.Response read = api.get("/whatsapp/webhook/events/" + webhookId, intruder.key());
            Api.Response replay = api.post("/whatsapp/webhook/events/" + webhookId + "/replay", "", intruder.key());

            assertThat(read.status()).isEqualTo(404);
            assertThat(replay.status()).isEqualTo(404);
            assertThat(api.get("/whatsapp/webhook/events", intruder.key())
                            .json()
                            .get("data"))
                    .isEmpty();
        }
    }

    @Test
    void theWebhookIsSetThroughTheAdminApiAndShownWithoutItsSecret() {
        TestOrg org = anOrg();

        Api.Response set = api.put(
                "/admin/orgs/" + org.orgId() + "/webhook",
                Map.of("url", "http://127.0.0.1:9/events", "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                admin());

        assertThat(set.status()).as(set.text()).isEqualTo(200);
        JsonNode shown = api.get("/whatsapp/webhook", org.key()).json();
        assertThat(shown.get("url").asString()).isEqualTo("http://127.0.0.1:9/events");
        assertThat(shown.has("secret")).isFalse();
        assertThat(shown.get("secretHint").asString()).isEqualTo("whsec_...LaSw");
        assertThat(api.put("/whatsapp/webhook", Map.of("url", "ftp://example.com/x"), org.key())
                        .status())
                .isEqualTo(400);
        assertThat(api.put("/whatsapp/webhook", Map.of("url", "http://127.0.0.1:9/x", "secret", "nope"), org.key())
                        .json()
                        .get("field")
                        .asString())
                .isEqualTo("secret");
    }

    @Test
    void deliveredEventsAreDeletedWithTheirAttemptsAfterTheRetentionPeriod() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomer(org);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);
            writeIn(org, customer.get("phone").asString(), "old news");
            String webhookId = endpoint.next(Duration.ofSeconds(5)).header("webhook-id");
            eventually(
                    () -> api.get("/whatsapp/webhook/events/" + webhookId, org.key())
                            .json(),
                    e -> e.get("status").asString().equals("delivered"),
                    Duration.ofSeconds(5));
            db.sql("UPDATE org_events SET created_at = now() - interval '31 days' WHERE org_id = :orgId")
                    .param("orgId", org.orgId())
                    .update();

            retention.deleteOld();

            assertThat(api.get("/whatsapp/webhook/events/" + webhookId, org.key())
                            .status())
                    .isEqualTo(404);
        }
    }
}
