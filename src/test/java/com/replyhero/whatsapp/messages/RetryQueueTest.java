package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.messages.retryqueue.RetryQueue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The retry queue: what a node claims stays {@code queued} until its own call, so a node that dies (or is slow)
 * loses nothing and never makes another node's message unknown; one failing message never stops the others.
 */
class RetryQueueTest extends StandInMetaTest {

    @Autowired
    RetryQueue queue;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    MessageDelivery delivery;

    @Autowired
    CloudApi cloudApi;

    @Autowired
    tools.jackson.databind.json.JsonMapper json;

    @Autowired
    com.replyhero.whatsapp.messages.store.Messages messages;

    @Autowired
    com.replyhero.whatsapp.orgs.Orgs orgs;

    @Test
    void aSenderHeldUpBetweenItsMarkAndItsCallDoesNotCallOnceItsLeaseCouldHaveRunOut() {
        SCRIPT.add("throttle");
        String id = send("marked, then the node stalls").json().get("id").asString();
        Claim claimed =
                this.<Claim>claimAsAnotherNode(id, Duration.ofSeconds(30)).getFirst();

        // the node stalls (stopped, starved) between the mark's commit and its call, longer than it may
        var attempt = delivery.attemptQueued(
                claimed.message(),
                orgs.defaultChannel(orgId).orElseThrow(),
                claimed.phone(),
                () -> {
                    var marked = queue.markSending(orgId, id, claimed.leaseUntil(), Duration.ofSeconds(30));
                    sleep(Duration.ofMillis(300));
                    return marked;
                },
                Duration.ofMillis(100));

        // not called; its lease (30 s) is still this sender's, so it goes back to the queue at once
        assertThat(attempt)
                .hasValueSatisfying(a -> assertThat(a.message().status()).isEqualTo(MessageStatus.QUEUED));
        assertThat(callsFor(id)).isEqualTo(1); // only the throttled call: nothing after the stall
    }

    @Test
    void aMessageWhoseSenderStoppedBetweenItsMarkAndItsCallIsSentOnceNoStatusCameForIt() {
        SCRIPT.add("throttle");
        String id = send("marked, then the node died").json().get("id").asString();
        // a node marks it sending and dies before its request leaves: only the durable mark is left
        Claim claimed =
                this.<Claim>claimAsAnotherNode(id, Duration.ofSeconds(30)).getFirst();
        assertThat(queue.markSending(orgId, id, claimed.leaseUntil(), Duration.ofMillis(200)))
                .isPresent();

        // the lease runs out: unknown, waiting for a status from Meta (none comes: Meta never had it)
        eventually(() -> get(id).get("status").asString(), "unknown"::equals);
        theWaitForAStatusEnds(id);

        JsonNode sent =
                eventually(() -> get(id), m -> m.get("status").asString().equals("accepted"));
        assertThat(sent.get("status").asString()).as(sent.toString()).isEqualTo("accepted");
        assertThat(callsFor(id)).isEqualTo(2); // the throttled call and the one after the stopped sender
        assertThat(failedEvents(id)).isZero();
    }

    @Test
    void aMessageWhoseSenderStoppedIsNotSentAgainWhenMetaSaysItHasIt() {
        SCRIPT.add("throttle");
        String id = send("sent, then the node died").json().get("id").asString();
        Claim claimed =
                this.<Claim>claimAsAnotherNode(id, Duration.ofSeconds(30)).getFirst();
        assertThat(queue.markSending(orgId, id, claimed.leaseUntil(), Duration.ofMillis(200)))
                .isPresent();
        eventually(() -> get(id).get("status").asString(), "unknown"::equals);

        // the request had left: Meta's status webhook (sent again by Meta after the gateway's restart) settles it
        statusWebhook(id, "wamid.seen" + System.nanoTime(), "sent");
        eventually(() -> get(id).get("status").asString(), "sent"::equals);
        theWaitForAStatusEnds(id);
        pause(1000); // five sweeps

        assertThat(get(id).get("status").asString()).isEqualTo("sent");
        assertThat(callsFor(id)).isEqualTo(1); // the throttled call only: never sent twice
    }

    @Test
    void aDirectSendHeldUpAfterItsMarkDoesNotCallAndGoesBackToTheQueueWhileItsLeaseIsItsOwn() {
        SCRIPT.add("throttle");
        String id =
                send("stored sending, then the node stalls").json().get("id").asString();
        // as a direct send leaves it: stored sending (its durable mark) under this sender's lease
        db.sql("UPDATE messages SET status = 'sending', lease_until = now() + interval '30 seconds' WHERE id = :id")
                .param("id", id)
                .update();
        Message marked = messages.find(orgId, id).orElseThrow();

        // the sender wakes up after longer than it may wait between its mark and its call
        var attempt = delivery.attempt(
                marked,
                orgs.defaultChannel(orgId).orElseThrow(),
                phoneOf(marked),
                System.nanoTime() - Duration.ofSeconds(1).toNanos(),
                Duration.ofMillis(100));

        assertThat(attempt.message().status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(callsFor(id)).isEqualTo(1); // only the throttled call: nothing after the stall
        JsonNode sent =
                eventually(() -> get(id), m -> m.get("status").asString().equals("accepted"));
        assertThat(sent.get("status").asString()).as(sent.toString()).isEqualTo("accepted");
        assertThat(callsFor(id)).isEqualTo(2); // sent once, by the retry queue
    }

    @Test
    void aDirectSendHeldUpPastItsLeaseLeavesTheMessageToWhoeverTookIt() {
        SCRIPT.add("throttle");
        String id =
                send("stored sending, stalled past its lease").json().get("id").asString();
        // its lease ran out and another node's sweep made it unknown (sender stopped)
        db.sql("""
                UPDATE messages SET status = 'unknown', sender_stopped = true,
                                    lease_until = now() + interval '15 minutes'
                 WHERE id = :id""").param("id", id).update();
        Message marked = messages.find(orgId, id).orElseThrow();

        var attempt = delivery.attempt(
                marked,
                orgs.defaultChannel(orgId).orElseThrow(),
                phoneOf(marked),
                System.nanoTime() - Duration.ofSeconds(1).toNanos(),
                Duration.ofMillis(100));

        assertThat(attempt.message().status()).isEqualTo(MessageStatus.UNKNOWN);
        assertThat(callsFor(id)).isEqualTo(1);
    }

    @Test
    void aRowHeldByAStalledTransactionDoesNotStopTheSweepOfTheOthers() throws Exception {
        SCRIPT.add("throttle");
        SCRIPT.add("throttle");
        String held =
                send("held by a stalled node's transaction").json().get("id").asString();
        String free = send("left mid-send beside it").json().get("id").asString();
        db.sql("""
                UPDATE messages SET status = 'sending', lease_until = now() - interval '1 second',
                                    next_attempt_at = NULL
                 WHERE id IN (:ids)""").param("ids", List.of(held, free)).update();

        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        Thread stalled = Thread.ofVirtual()
                .start(() -> transaction.executeWithoutResult(tx -> {
                    db.sql("SELECT id FROM messages WHERE id = :id FOR UPDATE")
                            .param("id", held)
                            .query(String.class)
                            .list();
                    locked.countDown();
                    sleep(Duration.ofSeconds(4)); // a node stopped mid-transaction (SIGSTOP, a paused VM)
                }));
        locked.await();

        String swept = eventually(() -> get(free).get("status").asString(), "unknown"::equals);
        String stillHeld = get(held).get("status").asString();
        stalled.join();

        assertThat(swept).isEqualTo("unknown");
        assertThat(stillHeld).isEqualTo("sending");
        assertThat(eventually(() -> get(held).get("status").asString(), "unknown"::equals))
                .isEqualTo("unknown");
    }

    @Test
    void aSenderHeldUpInsideTheHttpClientPastItsBoundSendsNoBodyAndTheSendCountsAsNotSent() {
        String marker = "held-inside-the-client-" + System.nanoTime();
        tools.jackson.databind.node.ObjectNode payload = json.createObjectNode();
        payload.put("messaging_product", "whatsapp");
        payload.put("to", "60111111111");
        payload.put("type", "text");
        payload.putObject("text").put("body", "never leaves");
        payload.put("biz_opaque_callback_data", marker);
        var prepared = cloudApi.prepareMessage(orgs.defaultChannel(orgId).orElseThrow(), payload);
        // marked 10 s ago, allowed 1 s: the sender passed its own check, then was held up before the body left
        prepared.arm(System.nanoTime() - Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(1));

        RuntimeException thrown = null;
        try {
            cloudApi.send(prepared);
        } catch (RuntimeException e) {
            thrown = e;
        }

        assertThat(thrown).isInstanceOf(CloudApi.RequestNotSent.class);
        pause(300);
        assertThat(callsFor(marker)).isZero();
    }

    @Test
    void aStalledNodesTransactionIsEndedByTheDatabaseAfterAMinute() {
        String timeout = db.sql("SHOW idle_in_transaction_session_timeout")
                .query(String.class)
                .single();

        assertThat(timeout).isEqualTo("1min");
    }

    private String phoneOf(Message message) {
        return db.sql("SELECT phone FROM customers WHERE org_id = :orgId AND id = :id")
                .param("orgId", message.orgId())
                .param("id", message.customerId())
                .query(String.class)
                .single();
    }

    /** The wait of an unknown outcome (at least 15 minutes) is moved to now. */
    private void theWaitForAStatusEnds(String id) {
        db.sql("UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = :id AND status = 'unknown'")
                .param("id", id)
                .update();
    }

    private long failedEvents(String id) {
        return db.sql("""
                        SELECT count(*) FROM org_events
                         WHERE type = 'message.status' AND payload->'data'->>'id' = :id
                           AND payload->'data'->>'status' = 'failed'
                        """).param("id", id).query(Long.class).single();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aMessageClaimedByANodeThatDiedBeforeItsCallIsSentOnceTheClaimRunsOut() {
        SCRIPT.add("throttle");
        String id = send("claimed by a node that died").json().get("id").asString();

        // a node claims it and is killed before calling the Cloud API: the claim is all it leaves
        List<?> claimed = claimAsAnotherNode(id, Duration.ofSeconds(1));

        assertThat(claimed).hasSize(1);
        JsonNode settled =
                eventually(() -> get(id), m -> m.get("status").asString().equals("accepted"));
        assertThat(settled.get("status").asString()).as(settled.toString()).isEqualTo("accepted");
        assertThat(callsFor(id)).isEqualTo(2); // the throttled call and the one that went through
    }

    @Test
    void aNodeWhoseClaimRanOutDoesNotSendTheMessageAnotherNodeQueuedAgain() {
        SCRIPT.add("throttle");
        SCRIPT.add("throttle");
        String id = send("claimed by a slow node").json().get("id").asString();
        Claim stale = this.<Claim>claimAsAnotherNode(id, Duration.ofSeconds(1)).getFirst();

        // its claim runs out; this node claims the message, is throttled again and queues it for later
        eventually(() -> callsFor(id), n -> n == 2);
        eventually(() -> get(id).get("status").asString(), "queued"::equals);
        var late = queue.markSending(orgId, id, stale.leaseUntil(), Duration.ofSeconds(30));

        assertThat(late).isEmpty();
        assertThat(get(id).get("status").asString()).isEqualTo("queued");
    }

    @Test
    void aDatabaseErrorOnOneQueuedMessageNeverStopsTheOthers() {
        String marker = "poison " + System.nanoTime();
        db.sql("""
                CREATE OR REPLACE FUNCTION test_refuse_sending() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'test: this message cannot be marked sending';
                END $$""").update();
        db.sql("""
                CREATE TRIGGER test_refuse_sending BEFORE UPDATE ON messages FOR EACH ROW
                  WHEN (OLD.status = 'queued' AND NEW.status = 'sending'
                        AND NEW.content->'text'->>'body' = '%s')
                  EXECUTE FUNCTION test_refuse_sending()""".formatted(marker)).update();
        String poisoned;
        String fine;
        JsonNode sent;
        try {
            SCRIPT.add("throttle");
            SCRIPT.add("throttle");
            poisoned = send(marker).json().get("id").asString();
            fine = send("queued beside a message the database refuses")
                    .json()
                    .get("id")
                    .asString();

            sent = eventually(() -> get(fine), m -> m.get("status").asString().equals("accepted"));

            assertThat(sent.get("status").asString()).as(sent.toString()).isEqualTo("accepted");
            assertThat(get(poisoned).get("status").asString()).isEqualTo("queued");
            assertThat(callsFor(poisoned)).isEqualTo(1);
        } finally {
            db.sql("DROP TRIGGER IF EXISTS test_refuse_sending ON messages").update();
        }
        // never lost: once the database takes it, it goes
        JsonNode recovered =
                eventually(() -> get(poisoned), m -> m.get("status").asString().equals("accepted"));
        assertThat(recovered.get("status").asString()).isEqualTo("accepted");
        assertThat(callsFor(poisoned)).isEqualTo(2);
        assertThat(callsFor(fine)).isEqualTo(2);
    }

    /** Claims the message as another node would, before this node's dispatcher gets to it. */
    @SuppressWarnings("unchecked")
    private <T> List<T> claimAsAnotherNode(String id, Duration lease) {
        return (List<T>) transaction.execute(tx -> {
            // made the oldest due message, and locked by this transaction: the dispatcher skips it meanwhile
            db.sql("UPDATE messages SET next_attempt_at = now() - interval '1 hour' WHERE id = :id")
                    .param("id", id)
                    .update();
            return queue.claimDue(1, lease);
        });
    }
}
