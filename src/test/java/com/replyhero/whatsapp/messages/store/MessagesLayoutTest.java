package com.replyhero.whatsapp.messages.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.Statuses;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The layout that keeps Meta's statuses cheap: no index of {@code messages} reads {@code status} (so sent,
 * delivered and read can be HOT updates), and its pages keep room for the new versions.
 */
class MessagesLayoutTest extends GatewayTest {

    @Test
    void noIndexOfMessagesReadsTheStatusColumn() {
        List<String> indexes = db.sql("SELECT indexdef FROM pg_indexes WHERE tablename = 'messages'")
                .query(String.class)
                .list();

        assertThat(indexes).isNotEmpty().noneMatch(definition -> definition.contains("status"));
    }

    @Test
    void statusesAfterTheOutcomeAreHeapOnlyUpdates() {
        TestOrg org = anOrg();
        String customer = aCustomerWhoWroteIn(org).get("id").asString();
        String wamid = "wamid.layout-" + randomDigits(8);
        String id = "layout" + randomDigits(10);
        db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, attempts, wamid, response)
                        VALUES (?, ?, ?, ?, 's', 'human', 'text', '{"type":"text","text":{"body":"hi"}}', 'accepted', 1,
                                ?, '{}')
                        """).params(org.orgId(), id, customer, org.userId(), wamid).update();

        // The backend's pending counters, read before and after inside one transaction: they may still hold
        // earlier transactions' counts of this pooled connection (flushed at most once a second), never another's.
        long heapOnly = new TransactionTemplate(transactions).execute(tx -> {
            long before = heapOnlyUpdatesPendingHere();
            for (String status : List.of("sent", "delivered", "read")) {
                statuses.applyStatus(org.orgId(), wamid, null, MessageStatus.of(status), null, null);
            }
            return heapOnlyUpdatesPendingHere() - before;
        });

        assertThat(heapOnly).isEqualTo(3);
        assertThat(db.sql("SELECT status FROM messages WHERE org_id = ? AND id = ?")
                        .params(org.orgId(), id)
                        .query(String.class)
                        .single())
                .isEqualTo("read");
        Map<String, Object> flags = db.sql(
                        "SELECT reloptions::text AS options FROM pg_class WHERE relname = 'messages'")
                .query()
                .singleRow();
        assertThat(flags.get("options").toString()).contains("fillfactor=75");
    }

    private long heapOnlyUpdatesPendingHere() {
        return db.sql("SELECT pg_stat_get_xact_tuples_hot_updated('messages'::regclass)")
                .query(Long.class)
                .single();
    }

    @Autowired
    private PlatformTransactionManager transactions;

    @Autowired
    private Statuses statuses;
}
