package com.replyhero.whatsapp.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Idempotency-Key records on PostgreSQL: one owner per key, even when a record is taken over. */
class IdempotencyRecordsTest extends GatewayTest {

    private static final byte[] HASH = "request".getBytes(StandardCharsets.UTF_8);

    @Autowired
    IdempotencyRecords records;

    @Test
    void onlyOneRequestTakesOverAnAbandonedRecord() throws Exception {
        for (int round = 0; round < 20; round++) {
            KeySpace space = KeySpace.apiKeysOf("org-" + randomDigits(10));
            String key = "abandoned-" + randomDigits(8);
            assertThat(records.begin(space, key, HASH, UUID.randomUUID())).isEmpty();
            abandon(space, key);

            int winners = takeOversAtOnce(space, key, 8);

            assertThat(winners)
                    .as("requests that took over the abandoned record")
                    .isEqualTo(1);
        }
    }

    @Test
    void aRequestThatLostItsRecordDoesNotCompleteIt() {
        KeySpace space = KeySpace.apiKeysOf("org-" + randomDigits(10));
        String key = "slow-" + randomDigits(8);
        UUID slowFirst = UUID.randomUUID();
        UUID retry = UUID.randomUUID();
        assertThat(records.begin(space, key, HASH, slowFirst)).isEmpty();
        abandon(space, key);
        assertThat(records.begin(space, key, HASH, retry)).isEmpty(); // the retry takes the record over

        boolean kept = records.complete(space, key, slowFirst, 201, "application/json", bytes("{\"from\":\"first\"}"));

        assertThat(kept).isFalse();
        assertThat(records.begin(space, key, HASH, UUID.randomUUID()))
                .as("still the retry's, in progress")
                .hasValueSatisfying(r -> assertThat(r.status()).isNull());
    }

    @Test
    void aRequestThatLostItsRecordDoesNotReleaseIt() {
        KeySpace space = KeySpace.apiKeysOf("org-" + randomDigits(10));
        String key = "slow-" + randomDigits(8);
        UUID slowFirst = UUID.randomUUID();
        UUID retry = UUID.randomUUID();
        assertThat(records.begin(space, key, HASH, slowFirst)).isEmpty();
        abandon(space, key);
        assertThat(records.begin(space, key, HASH, retry)).isEmpty(); // the retry takes the record over

        records.release(space, key, slowFirst); // the slow first request fails late

        assertThat(records.begin(space, key, HASH, UUID.randomUUID()))
                .as("the retry still holds the key")
                .hasValueSatisfying(r -> assertThat(r.status()).isNull());
    }

    @Test
    void theRequestThatTookOverKeepsItsAnswer() {
        KeySpace space = KeySpace.apiKeysOf("org-" + randomDigits(10));
        String key = "retry-" + randomDigits(8);
        UUID slowFirst = UUID.randomUUID();
        UUID retry = UUID.randomUUID();
        assertThat(records.begin(space, key, HASH, slowFirst)).isEmpty();
        abandon(space, key);
        assertThat(records.begin(space, key, HASH, retry)).isEmpty();

        boolean kept = records.complete(space, key, retry, 201, "application/json", bytes("{\"from\":\"retry\"}"));
        records.complete(space, key, slowFirst, 201, "application/json", bytes("{\"from\":\"first\"}"));
        records.release(space, key, slowFirst);

        assertThat(kept).isTrue();
        Optional<IdempotencyRecords.Record> replay = records.begin(space, key, HASH, UUID.randomUUID());
        assertThat(replay).isPresent();
        assertThat(replay.get().status()).isEqualTo(201);
        assertThat(new String(replay.get().body(), StandardCharsets.UTF_8)).contains("retry");
    }

    @Test
    void aRecordInProgressWithinItsBoundIsNotTakenOver() {
        KeySpace space = KeySpace.apiKeysOf("org-" + randomDigits(10));
        String key = "busy-" + randomDigits(8);
        assertThat(records.begin(space, key, HASH, UUID.randomUUID())).isEmpty();

        Optional<IdempotencyRecords.Record> second = records.begin(space, key, HASH, UUID.randomUUID());

        assertThat(second).hasValueSatisfying(r -> assertThat(r.status()).isNull());
    }

    /** The record's request looks dead: in progress for longer than the staleness bound (2 minutes). */
    private void abandon(KeySpace space, String key) {
        db.sql("""
                        UPDATE idempotency_records SET created_at = now() - interval '3 minutes'
                         WHERE org_id = ? AND principal = ? AND key = ?
                        """)
                .param(space.orgId())
                .param(space.principal().value())
                .param(key)
                .update();
    }

    private int takeOversAtOnce(KeySpace space, String key, int requests) throws Exception {
        CyclicBarrier start = new CyclicBarrier(requests);
        try (ExecutorService threads = Executors.newFixedThreadPool(requests)) {
            List<Future<Boolean>> tookOver = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                tookOver.add(threads.submit(() -> {
                    start.await();
                    return records.begin(space, key, HASH, UUID.randomUUID()).isEmpty();
                }));
            }
            int winners = 0;
            for (Future<Boolean> won : tookOver) {
                winners += won.get() ? 1 : 0;
            }
            return winners;
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
