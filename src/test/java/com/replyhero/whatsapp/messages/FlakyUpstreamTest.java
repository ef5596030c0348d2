package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The sandbox's fault modes (PUT /sandbox/faults) at run time, as the gateway meets them: a flaky upstream. */
class FlakyUpstreamTest extends GatewayTest {

    @AfterEach
    void noFaults() {
        api.delete("/sandbox/faults");
    }

    @Test
    void aDroppedAnswerIsCountedOnceAndTheStatusWebhookSettlesTheUnknown() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        faults(Map.of("dropAnswer", 1.0));

        Api.Response send = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(send.status()).as(send.text()).isEqualTo(504);
        assertThat(send.json().get("code").asString()).isEqualTo("outcome_unknown");
        String id = send.json().get("messageId").asString();
        assertThat(sandboxAccepted(id)).isEqualTo(1);
        JsonNode settled = eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key()).json(),
                m -> m.get("status").asString().equals("read"),
                Duration.ofSeconds(10));
        assertThat(settled.get("wamid").asString()).startsWith("wamid.");
        assertThat(api.get("/sandbox/ledger/messages")
                        .json()
                        .get("messages")
                        .get(id)
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void aResetConnectionIsNotAcceptedAndTheSendIsUnknown() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        faults(Map.of("resetConnection", 1.0));

        Api.Response send = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(send.status()).as(send.text()).isEqualTo(504);
        assertThat(sandboxAccepted(send.json().get("messageId").asString())).isZero();
        assertThat(api.get("/sandbox/ledger").json().get("connectionsReset").asLong())
                .isPositive();
    }

    @Test
    void aMetaErrorAnswerQueuesTheSendAndTheQueueSendsItOnceTheFaultIsGone() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        faults(Map.of("errors", Map.of("503", 1.0)));

        Api.Response send = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());
        api.delete("/sandbox/faults");

        assertThat(send.status()).as(send.text()).isEqualTo(202);
        String id = send.json().get("id").asString();
        eventually(() -> sandboxAccepted(id), n -> n == 1, Duration.ofSeconds(15));
    }

    @Test
    void duplicatedAndReorderedStatusesNeverMoveAMessageBackwards() {
        TestOrg org = anOrg();
        JsonNode customer = aCustomerWhoWroteIn(org);
        faults(Map.of("statuses", Map.of("duplicate", 1.0, "reorder", 1.0)));

        Api.Response send = api.post(
                "/whatsapp/messages/send", textRequest(org, customer.get("id").asString(), "hi"), org.key());

        assertThat(send.status()).as(send.text()).isEqualTo(200);
        String id = send.json().get("id").asString();
        eventually(
                () -> api.get("/whatsapp/messages/" + id, org.key())
                        .json()
                        .get("status")
                        .asString(),
                "read"::equals,
                Duration.ofSeconds(10));
        sleep(300); // the reordered "delivered" and "sent" arrive after "read"
        assertThat(api.get("/whatsapp/messages/" + id, org.key())
                        .json()
                        .get("status")
                        .asString())
                .isEqualTo("read");
    }

    @Test
    void theFaultsInForceAreShownAndAWrongRateIsRefused() {
        faults(Map.of("dropAnswer", 0.05, "throttleBurst", Map.of("everyMs", 5000, "lengthMs", 500)));

        JsonNode shown = api.get("/sandbox/faults").json();
        Api.Response wrong = api.put("/sandbox/faults", Map.of("errors", Map.of("500", 1.5)));
        Api.Response unknownError = api.put("/sandbox/faults", Map.of("errors", Map.of("404", 0.1)));

        assertThat(shown.get("dropAnswer").asDouble()).isEqualTo(0.05);
        assertThat(shown.get("throttleBurst").get("lengthMs").asLong()).isEqualTo(500);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asString()).isEqualTo("errors.500");
        assertThat(unknownError.status()).isEqualTo(400);
    }

    private void faults(Map<String, Object> settings) {
        Api.Response set = api.put("/sandbox/faults", settings);
        assertThat(set.status()).as(set.text()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
