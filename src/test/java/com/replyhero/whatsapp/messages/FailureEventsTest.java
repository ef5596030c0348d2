package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A message that fails and the org's {@code message.status} event about it are stored together or not at all:
 * a crash (or a database error) between the two never leaves a failure the org is not told about.
 */
class FailureEventsTest extends StandInMetaTest {

    @BeforeEach
    void theOrgHasAWebhook() {
        Api.Response webhook =
                api.put("/whatsapp/webhook", Map.of("url", "http://127.0.0.1:9/hook"), "X-API-KEY", apiKey);
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
    }

    @Test
    void aRefusedSendIsFailedTogetherWithItsStatusEvent() {
        SCRIPT.add("token");

        Api.Response answer = send("refused");
        assertThat(answer.status()).as(answer.text()).isEqualTo(502);

        String id = answer.json().get("messageId").asString();
        assertThat(get(id).get("status").asString()).isEqualTo("failed");
        assertThat(statusEvents(id, "failed")).isEqualTo(1);
    }

    @Test
    void aFailureWhoseEventCannotBeStoredIsNotStoredEither() {
        String marker = "eventless " + System.nanoTime();
        refuseStatusEventsOf(marker);
        SCRIPT.add("token");
        Api.Response answer;
        try {
            answer = send(marker);
        } finally {
            db.sql("DROP TRIGGER IF EXISTS test_refuse_event ON org_events").update();
        }

        String id = storedIdOf(marker);
        assertThat(answer.status()).as(answer.text()).isNotEqualTo(502);
        assertThat(statusEvents(id, "failed")).isZero();
        // rolled back with its event: still sending, so its lease runs out and it is settled later (Meta's status,
        // or sent again when none comes), never failed without its event
        assertThat(get(id).get("status").asString()).isEqualTo("sending");
    }

    @Test
    void anUnknownPastItsDeadlineIsFailedTogetherWithItsStatusEvent() {
        SCRIPT.add("hang");
        String id = send("no answer").json().get("messageId").asString();

        db.sql("UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = :id")
                .param("id", id)
                .update(); // its deadline has passed

        JsonNode failed =
                eventually(() -> get(id), m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("error").get("code").asString()).isEqualTo("outcome_unknown");
        assertThat(statusEvents(id, "failed")).isEqualTo(1);
    }

    @Test
    void anUnknownWhoseFailureEventCannotBeStoredStaysUnknown() {
        String marker = "eventless unknown " + System.nanoTime();
        SCRIPT.add("hang");
        String id = send(marker).json().get("messageId").asString();
        refuseStatusEventsOf(marker);
        try {
            db.sql("UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = :id")
                    .param("id", id)
                    .update();

            pause(1000); // five sweeps

            assertThat(get(id).get("status").asString()).isEqualTo("unknown");
            assertThat(statusEvents(id, "failed")).isZero();
        } finally {
            db.sql("DROP TRIGGER IF EXISTS test_refuse_event ON org_events").update();
        }
        JsonNode failed =
                eventually(() -> get(id), m -> m.get("status").asString().equals("failed"));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(statusEvents(id, "failed")).isEqualTo(1);
    }

    private void refuseStatusEventsOf(String text) {
        db.sql("""
                CREATE OR REPLACE FUNCTION test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'test: the event cannot be stored';
                END $$""").update();
        db.sql("""
                CREATE TRIGGER test_refuse_event BEFORE INSERT ON org_events FOR EACH ROW
                  WHEN (NEW.type = 'message.status' AND NEW.payload->'data'->>'message' = '%s')
                  EXECUTE FUNCTION test_refuse_event()""".formatted(text)).update();
    }

    private String storedIdOf(String text) {
        return db.sql("SELECT id FROM messages WHERE org_id = :orgId AND content->'text'->>'body' = :text")
                .param("orgId", orgId)
                .param("text", text)
                .query(String.class)
                .single();
    }

    /** The org's {@code message.status} events for the message with this status. */
    private long statusEvents(String id, String status) {
        return db.sql("""
                        SELECT count(*) FROM org_events
                         WHERE org_id = :orgId AND type = 'message.status'
                           AND payload->'data'->>'id' = :id AND payload->'data'->>'status' = :status
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("status", status)
                .query(Long.class)
                .single();
    }
}
