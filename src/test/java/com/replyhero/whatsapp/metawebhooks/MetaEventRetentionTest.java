package com.replyhero.whatsapp.metawebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Meta's raw webhooks are deleted 7 days after they were applied; one never applied is kept. */
class MetaEventRetentionTest extends GatewayTest {

    @Autowired
    MetaEventRetention retention;

    @Test
    void anOldProcessedEventIsDeletedWhileRecentAndUnappliedOnesAreKept() {
        long oldProcessed = anEvent("10 days", "10 days");
        long recentProcessed = anEvent("1 day", "1 day");
        long appliedLateAfterRetries = anEvent("12 days", "2 days");
        long oldUnapplied = anEvent("30 days", null); // gave up after 20 attempts: kept for the operator

        retention.deleteOld();

        assertThat(stored(oldProcessed)).as("applied 10 days ago").isFalse();
        assertThat(stored(recentProcessed)).as("applied a day ago").isTrue();
        assertThat(stored(appliedLateAfterRetries))
                .as("received 12 days ago, applied 2 days ago")
                .isTrue();
        assertThat(stored(oldUnapplied)).as("never applied").isTrue();
    }

    @Test
    void aBacklogLargerThanOneBatchIsDeletedInOneRun() {
        long first = anEvent("9 days", "9 days");
        db.sql("""
                        INSERT INTO meta_events (received_at, body, processed_at, attempts)
                        SELECT now() - interval '9 days', '{"object":"whatsapp_business_account","entry":[]}',
                               now() - interval '9 days', 1
                          FROM generate_series(1, 12000)
                        """).update();
        long last = anEvent("9 days", "9 days");

        retention.deleteOld();

        assertThat(stored(first)).isFalse();
        assertThat(stored(last)).isFalse();
        assertThat(db.sql("SELECT count(*) FROM meta_events WHERE processed_at < now() - interval '7 days'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** A stored webhook received and (unless null) applied that long ago. */
    private long anEvent(String receivedAgo, String processedAgo) {
        return db.sql("""
                        INSERT INTO meta_events (received_at, body, processed_at, attempts, last_error)
                        VALUES (now() - CAST(? AS interval), '{"object":"whatsapp_business_account","entry":[]}',
                                now() - CAST(? AS interval), ?, ?)
                        RETURNING id
                        """)
                .param(receivedAgo)
                .param(processedAgo)
                .param(processedAgo == null ? 20 : 1)
                .param(processedAgo == null ? "IllegalStateException: test" : null)
                .query(Long.class)
                .single();
    }

    private boolean stored(long id) {
        return db.sql("SELECT count(*) FROM meta_events WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                == 1;
    }
}
