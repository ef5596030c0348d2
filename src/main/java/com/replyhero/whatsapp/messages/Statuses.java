package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.messages.store.MessageRows;
import com.replyhero.whatsapp.messages.store.PendingStatuses;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Meta's statuses (sent, delivered, read, failed) applied to the messages they speak of. */
@Repository
public class Statuses {

    private final JdbcClient db;
    private final MessageRows rows;
    private final PendingStatuses pending;
    private final ApplicationEventPublisher events;

    Statuses(JdbcClient db, MessageRows rows, PendingStatuses pending, ApplicationEventPublisher events) {
        this.db = db;
        this.rows = rows;
        this.pending = pending;
        this.events = events;
    }

    /**
     * Applies a status from Meta's webhook to the message with that wamid, or to the message whose id Meta
     * echoed in {@code biz_opaque_callback_data} when its outcome was unknown. Never moves a status backwards,
     * except that a real status overrides a failure we only presumed ({@code outcome_unknown}). A status for a
     * message we do not know yet (its send has not recorded the wamid: a race) is kept and applied when the
     * wamid is recorded. Publishes {@link MessageStatusChanged}. Answers whether a message changed.
     */
    public boolean applyStatus(
            String orgId, String wamid, String callbackId, MessageStatus status, Integer upstreamCode, String text) {
        boolean failed = status == MessageStatus.FAILED;
        List<Message> changed = db.sql("""
                        UPDATE messages
                           SET status = :status, wamid = coalesce(wamid, :wamid),
                               -- statuses can beat the answer of the call: the sending lease stays until the call
                               -- records its outcome (Meta's answer, kept in response), through every status that
                               -- comes first, so that whoever waits for the call knows it is under way
                               lease_until = CASE WHEN status NOT IN ('queued', 'unknown', 'failed') AND response IS NULL
                                                  THEN lease_until END,
                               error_code = :errorCode, upstream_code = :upstreamCode::integer,
                               error_message = :text::text, updated_at = now()
                         WHERE org_id = :orgId
                           AND (wamid = :wamid OR (id = :callbackId AND wamid IS NULL))
                           AND (status_rank(status) < status_rank(:status)
                                OR (status = 'failed' AND error_code = 'outcome_unknown'))
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("wamid", wamid)
                .param("callbackId", callbackId)
                .param("status", status.value())
                .param("errorCode", failed ? "upstream_failed" : null)
                .param("upstreamCode", failed ? upstreamCode : null)
                .param("text", failed ? text : null)
                .query(rows)
                .list();
        changed.forEach(m -> events.publishEvent(new MessageStatusChanged(m)));
        if (changed.isEmpty() && !known(orgId, wamid, callbackId)) {
            pending.keep(orgId, wamid, callbackId, status, upstreamCode, text);
        }
        return !changed.isEmpty();
    }

    private boolean known(String orgId, String wamid, String callbackId) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM messages
                                        WHERE org_id = :orgId AND (wamid = :wamid OR id = :callbackId))
                        """)
                .param("orgId", orgId)
                .param("wamid", wamid)
                .param("callbackId", callbackId)
                .query(Boolean.class)
                .single();
    }
}
