package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Campaign controls on a broadcast: a paused one sends nothing more until it is resumed, a cancelled one never sends
 * its unsent recipients, a scheduled one waits for its time; every recipient gets it at most once, and the org's
 * backend hears of each change.
 */
class BroadcastControlsTest extends GatewayTest {

    @Test
    void aPausedBroadcastSendsNothingMoreAndResumedSendsEveryRecipientOnce() throws Exception {
        TestOrg org = anOrgSendingPerSecond(5);
        List<String> phones = customers(org, 15);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);
            String id = broadcast(org, Map.of());
            eventually(() -> progress(org, id).get("sent").asLong(), sent -> sent >= 3, Duration.ofSeconds(20));

            Api.Response paused = api.post("/whatsapp/template/broadcasts/" + id + "/pause", Map.of(), org.key());
            assertThat(paused.status()).as(paused.text()).isEqualTo(200);
            assertThat(paused.json().get("status").asString()).isEqualTo("paused");
            assertThat(paused.json().get("pausedReason").asString()).isEqualTo("paused by the org");
            Thread.sleep(600); // sends marked before the pause committed settle
            long atPause = acceptedTo(phones);
            assertThat(atPause).isLessThan(15);
            Thread.sleep(2000); // at 5 a second, 10 more would have gone out
            assertThat(acceptedTo(phones)).as("sent while paused").isEqualTo(atPause);
            assertThat(progress(org, id).get("status").asString()).isEqualTo("paused");
            // pausing again answers it as it is
            assertThat(api.post("/whatsapp/template/broadcasts/" + id + "/pause", Map.of(), org.key())
                            .status())
                    .isEqualTo(200);

            Api.Response resumed = api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
            assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
            assertThat(resumed.json().get("status").asString()).isEqualTo("running");
            JsonNode done = eventually(
                    () -> progress(org, id),
                    p -> p.get("status").asString().equals("completed"),
                    Duration.ofSeconds(30));
            assertThat(done.get("sent").asLong()).isEqualTo(15);
            for (String phone : phones) {
                assertThat(sandboxAcceptedTo(phone)).as(phone).isEqualTo(1);
            }

            JsonNode pausedEvent =
                    endpoint.next("broadcast.status", Duration.ofSeconds(10)).json();
            assertThat(pausedEvent.get("data").get("status").asString()).isEqualTo("paused");
            assertThat(pausedEvent.get("data").get("broadcastId").asString()).isEqualTo(id);
            assertThat(endpoint.next("broadcast.status", Duration.ofSeconds(10))
                            .json()
                            .get("data")
                            .get("status")
                            .asString())
                    .isEqualTo("running");
            // a completed broadcast cannot be paused or cancelled
            Api.Response late = api.post("/whatsapp/template/broadcasts/" + id + "/cancel", Map.of(), org.key());
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.json().get("code").asString()).isEqualTo("broadcast_completed");
        }
    }

    @Test
    void aCancelledBroadcastNeverSendsItsUnsentRecipients() throws Exception {
        TestOrg org = anOrgSendingPerSecond(4);
        List<String> phones = customers(org, 12);
        String id = broadcast(org, Map.of());
        eventually(() -> progress(org, id).get("sent").asLong(), sent -> sent >= 2, Duration.ofSeconds(20));

        Api.Response cancelled = api.post("/whatsapp/template/broadcasts/" + id + "/cancel", Map.of(), org.key());
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        JsonNode finished =
                eventually(() -> progress(org, id), p -> !p.get("finishedAt").isNull(), Duration.ofSeconds(20));
        Thread.sleep(1500);
        long sent = finished.get("sent").asLong();
        assertThat(finished.get("cancelled").asLong()).isPositive();
        assertThat(sent
                        + finished.get("cancelled").asLong()
                        + finished.get("failed").asLong())
                .isEqualTo(12);
        assertThat(acceptedTo(phones))
                .as("what the sandbox got is what was sent")
                .isEqualTo(sent);
        // the records say which recipients were cancelled
        JsonNode records = api.get("/whatsapp/template/broadcasts/" + id + "/messages", org.key())
                .json()
                .get("data");
        long cancelledRecords = 0;
        for (JsonNode record : records) {
            cancelledRecords += record.get("status").asString().equals("cancelled") ? 1 : 0;
        }
        assertThat(cancelledRecords).isEqualTo(finished.get("cancelled").asLong());
        Api.Response resumed = api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
        assertThat(resumed.status()).isEqualTo(409);
    }

    @Test
    void aScheduledBroadcastWaitsForItsTime() throws Exception {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 3);
        String at = OffsetDateTime.now(ZoneOffset.ofHours(8)).plusSeconds(4).toString();
        Api.Response scheduled = api.post("/whatsapp/template/send", request(org, Map.of("sendAt", at)), org.key());
        assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(202);
        assertThat(scheduled.json().get("status").asString()).isEqualTo("scheduled");
        String id = scheduled.json().get("id").asString();
        Thread.sleep(1500);
        assertThat(acceptedTo(phones)).as("sent before its time").isZero();
        JsonNode done = eventually(
                () -> progress(org, id), p -> p.get("status").asString().equals("completed"), Duration.ofSeconds(30));
        assertThat(done.get("sent").asLong()).isEqualTo(3);
        assertThat(OffsetDateTime.parse(at).toInstant())
                .isBeforeOrEqualTo(
                        java.time.Instant.parse(done.get("finishedAt").asString()));
        for (String phone : phones) {
            assertThat(sandboxAcceptedTo(phone)).isEqualTo(1);
        }
    }

    @Test
    void aStormOfOneRefusalPausesTheBroadcastWithTheReason() throws Exception {
        TestOrg org = anOrgSendingPerSecond(20);
        List<String> phones = customers(org, 40);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            subscribe(org, endpoint);
            api.put("/sandbox/faults", Map.of("errors", Map.of("131026", 1.0)));
            String id;
            JsonNode paused;
            try {
                id = broadcast(org, Map.of());
                paused = eventually(
                        () -> progress(org, id),
                        p -> p.get("status").asString().equals("paused"),
                        Duration.ofSeconds(20));
            } finally {
                api.delete("/sandbox/faults");
            }
            assertThat(paused.get("pausedReason").asString()).contains("131026").contains("25");
            Thread.sleep(500);
            JsonNode settled = progress(org, id);
            assertThat(settled.get("failed").asLong()).isBetween(25L, 39L);
            assertThat(settled.get("sent").asLong()).isZero();
            JsonNode event =
                    endpoint.next("broadcast.status", Duration.ofSeconds(10)).json();
            assertThat(event.get("data").get("reason").asString()).contains("131026");

            // the cause fixed, the org resumes it: the others get it, once
            api.post("/whatsapp/template/broadcasts/" + id + "/resume", Map.of(), org.key());
            JsonNode done = eventually(
                    () -> progress(org, id),
                    p -> p.get("status").asString().equals("completed"),
                    Duration.ofSeconds(30));
            assertThat(done.get("sent").asLong() + done.get("failed").asLong()).isEqualTo(40);
            assertThat(acceptedTo(phones)).isEqualTo(done.get("sent").asLong());
        }
    }

    @Test
    void aCustomerWhoOptsOutBeforeTheirTurnIsNeverSent() throws Exception {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 3);
        String at = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(3).toString();
        Api.Response scheduled = api.post("/whatsapp/template/send", request(org, Map.of("sendAt", at)), org.key());
        assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(202);
        String id = scheduled.json().get("id").asString();
        String optingOut = api.get("/whatsapp/customers?phone=" + phones.get(1), org.key())
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        assertThat(api.patch("/whatsapp/customers/" + optingOut, Map.of("optedOut", true), org.key())
                        .status())
                .isEqualTo(200);
        JsonNode done = eventually(
                () -> progress(org, id), p -> p.get("status").asString().equals("completed"), Duration.ofSeconds(30));
        assertThat(done.get("sent").asLong()).isEqualTo(2);
        assertThat(done.get("failed").asLong()).isEqualTo(1);
        assertThat(sandboxAcceptedTo(phones.get(1))).isZero();
        assertThat(sandboxAcceptedTo(phones.get(0)) + sandboxAcceptedTo(phones.get(2)))
                .isEqualTo(2);
        JsonNode report = api.get("/whatsapp/template/broadcasts/" + id + "/report", org.key())
                .json();
        assertThat(report.toString()).contains("customer_opted_out");
    }

    @Test
    void racingPausesAndResumesEachAnswerTheStateTheyMade() throws Exception {
        TestOrg org = anOrgSendingPerSecond(1);
        customers(org, 5);
        String id = broadcast(org, Map.of());
        List<java.util.concurrent.CompletableFuture<Api.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            for (String action : List.of("pause", "resume")) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> api.post("/whatsapp/template/broadcasts/" + id + "/" + action, Map.of(), org.key())));
            }
        }
        for (var answer : answers) {
            Api.Response response = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
        }
        api.post("/whatsapp/template/broadcasts/" + id + "/cancel", Map.of(), org.key());
        // cancelling a cancelled broadcast answers it as it is
        Api.Response again = api.post("/whatsapp/template/broadcasts/" + id + "/cancel", Map.of(), org.key());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void aBadSendAtIsRefusedAndNothingIsStored() {
        TestOrg org = anOrgSendingPerSecond(80);
        List<String> phones = customers(org, 1);
        for (String bad : List.of("tomorrow", "2026-12-24T09:00:00", "2999-01-01T00:00:00Z")) {
            Api.Response refused = api.post("/whatsapp/template/send", request(org, Map.of("sendAt", bad)), org.key());
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.json().get("field").asString()).isEqualTo("sendAt");
        }
        assertThat(db.sql("SELECT count(*) FROM broadcasts WHERE org_id = :orgId")
                        .param("orgId", org.orgId())
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(acceptedTo(phones)).isZero();
    }

    @Test
    void anotherOrgsBroadcastCannotBePausedResumedOrCancelled() throws Exception {
        TestOrg org = anOrgSendingPerSecond(1);
        customers(org, 3);
        String id = broadcast(org, Map.of());
        TestOrg other = anOrg();
        for (String action : List.of("pause", "resume", "cancel")) {
            Api.Response answer = api.post("/whatsapp/template/broadcasts/" + id + "/" + action, Map.of(), other.key());
            assertThat(answer.status()).as(action).isEqualTo(404);
        }
        assertThat(progress(org, id).get("status").asString()).isIn("running", "completed");
    }

    private List<String> customers(TestOrg org, int n) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            phones.add(aCustomer(org).get("phone").asString());
        }
        return phones;
    }

    private long acceptedTo(List<String> phones) {
        return phones.stream().mapToLong(this::sandboxAcceptedTo).sum();
    }

    private String broadcast(TestOrg org, Map<String, Object> extra) {
        Api.Response sent = api.post(
                "/whatsapp/template/send", request(org, extra), "X-API-KEY", org.apiKey(), "Prefer", "respond-async");
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

    private static Map<String, Object> request(TestOrg org, Map<String, Object> extra) {
        Map<String, Object> request = helloWorldSend(org);
        request.putAll(extra);
        return request;
    }
}
