package com.replyhero.whatsapp.messages.store;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.Statuses;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Meta's statuses for messages not known yet ({@code pending_statuses}): a status can arrive before its send has
 * recorded the wamid (a race), and is then kept until the message is.
 */
@Repository
public class PendingStatuses {

    /** A kept status, with the wamid it came for. */
    record PendingStatus(
            String wamid, MessageStatus status, Integer upstreamCode, String text, String pricingCategory) {}

    private final JdbcClient db;
    private final MessageRows rows;

    PendingStatuses(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    public void keep(
            String orgId, String wamid, String callbackId, MessageStatus status, Integer upstreamCode, String text) {
        keep(orgId, new Statuses.StatusUpdate(wamid, callbackId, status, upstreamCode, text));
    }

    /** Keeps a status (with its pricing) until its message is known. */
    public void keep(String orgId, Statuses.StatusUpdate u) {
        db.sql("""
                        INSERT INTO pending_statuses (org_id, wamid, callback_id, status, upstream_code, error_message,
                                                      pricing_category)
                        VALUES (:orgId, :wamid, :callbackId, :status, :upstreamCode, :text, :pricingCategory)
                        """)
                .param("orgId", orgId)
                .param("wamid", u.wamid())
                .param("callbackId", u.callbackId())
                .param("status", u.status().value())
                .param("upstreamCode", u.upstreamCode())
                .param("text", u.text())
                .param("pricingCategory", u.pricingCategory())
                .update();
    }

    /** Whether statuses were kept for the message with this wamid or id. */
    boolean any(String orgId, String wamid, String id) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM pending_statuses
                                        WHERE org_id = :orgId AND (wamid = :wamid OR callback_id = :id))
                        """)
                .param("orgId", orgId)
                .param("wamid", wamid)
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** Removes and answers the statuses kept for the message with this wamid or id. */
    private List<PendingStatus> take(String orgId, String wamid, String id) {
        return db.sql("""
                        DELETE FROM pending_statuses
                         WHERE org_id = :orgId AND (wamid = :wamid OR callback_id = :id)
                        RETURNING wamid, status, upstream_code, error_message, pricing_category
                        """)
                .param("orgId", orgId)
                .param("wamid", wamid)
                .param("id", id)
                .query((rs, row) -> new PendingStatus(
                        rs.getString("wamid"),
                        MessageStatus.of(rs.getString("status")),
                        (Integer) rs.getObject("upstream_code"),
                        rs.getString("error_message"),
                        rs.getString("pricing_category")))
                .list();
    }

    /**
     * Removes the statuses kept for the message with this wamid or id, as updates in status order (for the wamid
     * each was kept under while the message has none).
     */
    public List<Statuses.StatusUpdate> takeFor(String orgId, String wamid, String id) {
        return take(orgId, wamid, id).stream()
                .sorted(Comparator.comparing(PendingStatus::status))
                .map(p -> new Statuses.StatusUpdate(
                        wamid == null ? p.wamid() : wamid,
                        id,
                        p.status(),
                        p.upstreamCode(),
                        p.text(),
                        p.pricingCategory()))
                .toList();
    }

    /**
     * Up to {@code limit} messages that statuses kept in the last {@code window} match (their wamid or id is known
     * by now). Each match is its own join, so each probes its index of {@code messages}: one join on
     * {@code wamid = ... OR id = ...} cannot, and compared every kept status with every message (minutes of
     * parallel scans once another system's statuses on the same number had piled up).
     */
    List<Message> matched(Duration window, int limit) {
        return db.sql("""
                        WITH recent AS (
                            SELECT org_id, wamid, callback_id FROM pending_statuses
                             WHERE received_at > now() - :window * interval '1 millisecond'
                        ), found AS (
                            SELECT m.org_id, m.id FROM recent p JOIN messages m ON m.org_id = p.org_id AND m.wamid = p.wamid
                            UNION
                            SELECT m.org_id, m.id FROM recent p JOIN messages m ON m.org_id = p.org_id AND m.id = p.callback_id
                            LIMIT :limit
                        )
                        SELECT m.* FROM found JOIN messages m USING (org_id, id)
                        """)
                .param("window", window.toMillis())
                .param("limit", limit)
                .query(rows)
                .list();
    }

    /** Drops the statuses kept longer than {@code maxAge}. */
    void dropOlderThan(Duration maxAge) {
        db.sql("DELETE FROM pending_statuses WHERE received_at < now() - :maxAge * interval '1 millisecond'")
                .param("maxAge", maxAge.toMillis())
                .update();
    }
}
