package com.replyhero.whatsapp.messages.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.Statuses;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The sweep applies a kept status whose message recorded its wamid meanwhile (the race a send's own look at the kept
 * statuses can miss), and leaves statuses older than the race could be to their expiry.
 */
class PendingStatusSweeperTest extends GatewayTest {

    @Autowired
    private PendingStatuses pending;

    @Autowired
    private PendingStatusSweeper sweeper;

    @Autowired
    private DeliveryStates states;

    @Autowired
    private Statuses statuses;

    @Test
    void aStatusKeptWhileItsMessageRecordedTheWamidIsAppliedByTheSweep() {
        TestOrg org = anOrg();
        String wamid = "wamid.sweep-" + randomDigits(10);
        pending.keep(org.orgId(), wamid, null, MessageStatus.of("delivered"), null, null);
        String id = anAcceptedMessage(org, wamid);

        sweeper.sweep();

        assertThat(statusOf(org, id)).isEqualTo("delivered");
        assertThat(kept(org, wamid)).isZero();
    }

    @Test
    void aStatusKeptByOurIdIsAppliedByTheSweep() {
        TestOrg org = anOrg();
        String wamid = "wamid.sweep-" + randomDigits(10);
        String id = anAcceptedMessage(org, wamid);
        pending.keep(org.orgId(), "wamid.other-" + randomDigits(6), id, MessageStatus.of("read"), null, null);

        sweeper.sweep();

        assertThat(statusOf(org, id)).isEqualTo("read");
    }

    @Test
    void statusesKeptLongerThanTheRaceWindowAreLeftForTheirExpiry() {
        sweeper.sweep(); // a sweep ran to its end: the next one looks back only as far as the race can be
        TestOrg org = anOrg();
        String wamid = "wamid.sweep-" + randomDigits(10);
        pending.keep(org.orgId(), wamid, null, MessageStatus.of("delivered"), null, null);
        db.sql("UPDATE pending_statuses SET received_at = now() - interval '2 hours' WHERE org_id = ? AND wamid = ?")
                .params(org.orgId(), wamid)
                .update();
        String id = anAcceptedMessage(org, wamid);

        sweeper.sweep();

        assertThat(statusOf(org, id)).isEqualTo("accepted");
        assertThat(kept(org, wamid)).isEqualTo(1);
    }

    @Test
    void aNodesFirstSweepLooksAtEverythingKeptAndLaterOnesSinceTheLastThatRanToItsEnd() {
        PendingStatusSweeper fresh = new PendingStatusSweeper(
                pending, states, new PendingStatusSettings(Duration.ofDays(7), Duration.ofSeconds(30)));
        Instant now = Instant.now();

        assertThat(fresh.window(now)).isEqualTo(Duration.ofDays(7));
        fresh.sweep();
        assertThat(fresh.window(Instant.now())).isEqualTo(PendingStatusSweeper.MIN_RACE_WINDOW);
        assertThat(fresh.window(Instant.now().plus(Duration.ofHours(2))))
                .isGreaterThan(Duration.ofHours(2))
                .isLessThan(Duration.ofHours(2).plusMinutes(1));
    }

    @Test
    void aStatusEchoingOurIdThatRecordsTheWamidAppliesWhatWasKeptForThatWamidHoweverOld() {
        TestOrg org = anOrg();
        String customer = aCustomerWhoWroteIn(org).get("id").asString();
        String id = "unknown" + randomDigits(12);
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, attempts)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type":"text","text":{"body":"hi"}}', 'unknown', 1)
                        """).params(org.orgId(), id, customer, org.userId()).update();
        String wamid = "wamid.unknown-" + randomDigits(10);
        statuses.applyStatus(org.orgId(), wamid, null, MessageStatus.of("delivered"), null, null); // kept
        db.sql("UPDATE pending_statuses SET received_at = now() - interval '2 hours' WHERE org_id = ? AND wamid = ?")
                .params(org.orgId(), wamid)
                .update();

        statuses.applyStatus(org.orgId(), wamid, id, MessageStatus.of("sent"), null, null);

        assertThat(statusOf(org, id)).isEqualTo("delivered");
        assertThat(kept(org, wamid)).isZero();
    }

    private String anAcceptedMessage(TestOrg org, String wamid) {
        String customer = aCustomerWhoWroteIn(org).get("id").asString();
        String id = "sweep" + randomDigits(12);
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, attempts, wamid, response)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type":"text","text":{"body":"hi"}}', 'accepted', 1,
                                ?, '{}')
                        """).params(org.orgId(), id, customer, org.userId(), wamid).update();
        return id;
    }

    private String statusOf(TestOrg org, String id) {
        return db.sql("SELECT status FROM messages WHERE org_id = ? AND id = ?")
                .params(org.orgId(), id)
                .query(String.class)
                .single();
    }

    private int kept(TestOrg org, String wamid) {
        return db.sql("SELECT count(*) FROM pending_statuses WHERE org_id = ? AND wamid = ?")
                .params(org.orgId(), wamid)
                .query(Integer.class)
                .single();
    }
}
