package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How each kind of upstream outcome is stored and answered, against a stand-in for Meta that answers as told.
 */
class UpstreamOutcomesTest extends StandInMetaTest {

    @Test
    void aThrottledSendIsQueuedWith202AndSentByTheQueue() {
        SCRIPT.add("throttle");

        Api.Response answer = send("queued please");

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().get("status").asString()).isEqualTo("queued");
        String id = answer.json().get("id").asString();
        JsonNode later =
                eventually(() -> get(id), m -> m.get("status").asString().equals("accepted"));
        assertThat(later.get("wamid").asString()).startsWith("wamid.fake");
        assertThat(callsFor(id)).isEqualTo(2);
    }

    @Test
    void noAnswerIs504OutcomeUnknownAndIsNeverRetriedBlindly() throws InterruptedException {
        SCRIPT.add("hang");

        Api.Response answer = send("did it go?");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
        String id = answer.json().get("messageId").asString();
        assertThat(get(id).get("status").asString()).isEqualTo("unknown");
        Thread.sleep(1500);
        assertThat(callsFor(id)).isEqualTo(1);

        signedWebhook("""
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"%s"},
                "statuses":[{"id":"wamid.late","status":"sent","timestamp":"1","biz_opaque_callback_data":"%s"}]}}]}]}""".formatted(phoneNumberIdOfOrg(), id));
        assertThat(get(id).get("status").asString()).isEqualTo("sent");
        assertThat(get(id).get("wamid").asString()).isEqualTo("wamid.late");
    }

    @Test
    void aRetryThatGetsNoAnswerCarriesNoUpstreamCodeFromTheEarlier503() {
        SCRIPT.add("unavailable"); // the first attempt: Meta's 503 with its error code 2
        SCRIPT.add("hang"); // the retry: no answer
        String key = "stale-" + System.nanoTime();
        Api.Response first = send("503 then silence", key);
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        String id = first.json().get("id").asString();
        assertThat(eventually(() -> get(id), m -> m.get("status").asString().equals("unknown"))
                        .get("status")
                        .asString())
                .isEqualTo("unknown");

        Api.Response whileUnknown = send("503 then silence", key);
        theDeadlinePasses(id);
        JsonNode presumedFailed =
                eventually(() -> get(id), m -> m.get("status").asString().equals("failed"));
        Api.Response afterTheDeadline = send("503 then silence", key);

        assertThat(whileUnknown.status()).as(whileUnknown.text()).isEqualTo(504);
        assertThat(whileUnknown.json().path("upstream").path("code").isMissingNode())
                .as(whileUnknown.text())
                .isTrue();
        assertThat(presumedFailed.get("error").get("code").asString()).isEqualTo("outcome_unknown");
        assertThat(presumedFailed.get("error").path("upstreamCode").isMissingNode())
                .as(presumedFailed.toString())
                .isTrue();
        assertThat(afterTheDeadline.status()).as(afterTheDeadline.text()).isEqualTo(504);
        assertThat(afterTheDeadline.json().get("code").asString()).isEqualTo("outcome_unknown");
        assertThat(afterTheDeadline.json().path("upstream").path("code").isMissingNode())
                .as(afterTheDeadline.text())
                .isTrue();
        assertThat(db.sql("SELECT upstream_code IS NULL FROM messages WHERE id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .as("the stored row keeps no upstream code")
                .isTrue();
    }

    /** The unknown outcome's deadline (15 minutes) is moved to now: the sweep presumes the message failed. */
    private void theDeadlinePasses(String id) {
        db.sql("UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = ? AND status = 'unknown'")
                .param(id)
                .update();
    }

    @Test
    void anUpstreamAnsweringGarbageGivesAClearUpstreamErrorAndStoresNoWamid() {
        for (String mode : new String[] {"notjson", "truncated", "cut", "huge", "error200"}) {
            SCRIPT.add(mode);

            Api.Response answer = send("garbage " + mode);

            assertThat(answer.status()).as(mode + ": " + answer.text()).isBetween(400, 599);
            assertThat(answer.json().get("code").asString()).as(mode).isNotBlank();
            assertThat(answer.json().get("message").asString()).as(mode).isNotBlank();
            String id = answer.json().get("messageId").asString();
            JsonNode stored = get(id);
            assertThat(stored.get("status").asString()).as(mode).isIn("unknown", "failed");
            assertThat(stored.path("wamid").isMissingNode()
                            || stored.get("wamid").isNull())
                    .as(mode + ": " + stored)
                    .isTrue();
            if (!mode.equals("error200")) {
                // a 200 the gateway cannot read may have been sent: outcome unknown, never retried blindly
                assertThat(answer.status()).as(mode).isEqualTo(504);
                assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
            }
        }
    }

    @Test
    void aTemplateSendWhoseTemplatesCannotBeLookedUpIs503NotTemplateNotFound() {
        api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of("phoneNumberId", phoneNumberId, "wabaId", "200000000000077", "accessToken", "t"),
                admin());
        TEMPLATES_SCRIPT.add("unavailable");

        Api.Response sent = api.post(
                "/whatsapp/template/send",
                Map.of(
                        "templateName",
                        "order_update",
                        "sessionId",
                        "s",
                        "orgId",
                        orgId,
                        "userId",
                        userId,
                        "components",
                        java.util.List.of()),
                "X-API-KEY",
                apiKey);

        assertThat(sent.status()).as(sent.text()).isEqualTo(503);
        assertThat(sent.json().get("code").asString()).isEqualTo("template_lookup_failed");
        assertThat(sent.header("Retry-After")).isNotNull();
        assertThat(db.sql("SELECT count(*) FROM broadcasts WHERE org_id = ?")
                        .param(orgId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aRefusedTokenIs502AndTheMessageFails() {
        SCRIPT.add("token");

        Api.Response answer = send("nope");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().get("code").asString()).isEqualTo("upstream_unauthorized");
        assertThat(answer.json().get("upstream").get("code").asInt()).isEqualTo(190);
        assertThat(get(answer.json().get("messageId").asString()).get("status").asString())
                .isEqualTo("failed");
    }

    @Test
    void theSandboxIsOffWhenAnotherUpstreamIsConfigured() {
        Api.Response sandbox = api.post("/sandbox/customers/60123456789/messages", Map.of("text", "hi"));

        assertThat(sandbox.status()).isEqualTo(404);
    }

    @Test
    void somethingWentWrongMayFollowAnAcceptedSendSoTheSendIsUnknownAndNeverRetried() {
        SCRIPT.add("somethingWentWrong");

        Api.Response answer = send("did 131000 send it?");

        assertThat(answer.status()).as(answer.text()).isEqualTo(504);
        assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
        String id = answer.json().get("messageId").asString();
        assertThat(get(id).get("status").asString()).isEqualTo("unknown");
        pause(1500);
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void statusesThatComeBeforeTheAnswerKeepTheSendingLeaseUntilTheAnswerIsRecorded() {
        java.util.concurrent.atomic.AtomicReference<Boolean> leaseHeld =
                new java.util.concurrent.atomic.AtomicReference<>();
        SCRIPT.add("hook:ok");
        DURING_CALL.set(body -> {
            // Meta took the message; its "sent" and "delivered" arrive before its answer
            String id = callbackId(body);
            statusWebhook(id, "wamid.early" + id, "sent");
            statusWebhook(id, "wamid.early" + id, "delivered");
            leaseHeld.set(db.sql("SELECT lease_until > now() FROM messages WHERE id = :id")
                    .param("id", id)
                    .query(Boolean.class)
                    .single());
        });

        Api.Response answer = send("two statuses before the answer");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(leaseHeld.get())
                .as("the call is still under way after two early statuses")
                .isTrue();
        String id = answer.json().get("id").asString();
        assertThat(db.sql("SELECT lease_until IS NULL FROM messages WHERE id = :id")
                        .param("id", id)
                        .query(Boolean.class)
                        .single())
                .as("the lease ends with the recorded answer")
                .isTrue();
        assertThat(get(id).get("status").asString()).isEqualTo("delivered");
    }

    @Test
    void anErrorAnswerAfterMetasSentStatusNeverQueuesTheMessageAgain() {
        SCRIPT.add("hook:unavailable");
        DURING_CALL.set(body -> {
            // Meta took the message and its "sent" status arrives before the (wrong) error answer
            String id = callbackId(body);
            statusWebhook(id, "wamid.taken" + id, "sent"); // applied before its 200
        });

        Api.Response answer = send("taken after all");

        assertThat(answer.status()).as(answer.text()).isIn(200, 202);
        String id = answer.json().get("id").asString();
        pause(1500); // the retry queue polls every 100 ms: a queued message would have been sent again
        assertThat(callsFor(id)).isEqualTo(1);
        JsonNode stored = get(id);
        assertThat(stored.get("status").asString()).isEqualTo("sent");
        assertThat(stored.get("wamid").asString()).isEqualTo("wamid.taken" + id);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    @Test
    void aDatabaseFailureAfterMetaAcceptedIs504OutcomeUnknownAndNoInvitationToSendAgain() {
        String marker = "unrecordable " + System.nanoTime();
        db.sql("""
                CREATE OR REPLACE FUNCTION test_database_gone() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'test: the database went away' USING ERRCODE = '08006';
                END $$""").update();
        db.sql("""
                CREATE TRIGGER test_accepted_unrecordable BEFORE UPDATE ON messages FOR EACH ROW
                  WHEN (NEW.status = 'accepted' AND NEW.content->'text'->>'body' = '%s')
                  EXECUTE FUNCTION test_database_gone()""".formatted(marker)).update();
        Api.Response answer;
        try {
            answer = send(marker);
        } finally {
            db.sql("DROP TRIGGER test_accepted_unrecordable ON messages").update();
        }

        assertThat(answer.status()).as(answer.text()).isEqualTo(504);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        assertThat(answer.json().get("code").asString()).isEqualTo("outcome_unknown");
        String id = answer.json().get("messageId").asString();
        assertThat(callsFor(id)).isEqualTo(1);
        // left sending: its lease runs out and it becomes unknown, and Meta's status webhook settles it
        assertThat(get(id).get("status").asString()).isEqualTo("sending");
        statusWebhook(id, "wamid.recorded" + id, "sent");
        assertThat(get(id).get("status").asString()).isEqualTo("sent");
    }

    @Test
    void aSendPresumedFailedThatMetaAcceptedAfterAllBecomesAccepted() {
        SCRIPT.add("hook:ok");
        DURING_CALL.set(body -> db.sql("""
                        UPDATE messages
                           SET status = 'failed', error_code = 'outcome_unknown', lease_until = NULL,
                               error_message = 'no answer and no status from the Cloud API before the deadline'
                         WHERE id = :id
                        """).param("id", callbackId(body)).update());

        Api.Response answer = send("late but accepted");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode stored = get(answer.json().get("id").asString());
        assertThat(stored.get("status").asString()).isEqualTo("accepted");
        assertThat(stored.path("error").isMissingNode() || stored.get("error").isNull())
                .as(stored.toString())
                .isTrue();
        assertThat(stored.get("wamid").asString()).startsWith("wamid.fake");
    }
}
