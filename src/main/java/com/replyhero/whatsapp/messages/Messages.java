package com.replyhero.whatsapp.messages;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Messages as stored, read back: one by id or by Idempotency-Key, and the history. Every query is scoped by org.
 * They are written by {@link OutboundMessages} and {@link InboundMessages}; their delivery state changes in
 * {@link DeliveryStates}, {@link Statuses}, {@link RetryQueue} and {@link BroadcastRecipients}.
 */
@Repository
class Messages {

    private final JdbcClient db;
    private final MessageRows rows;

    Messages(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    Optional<Message> find(String orgId, String id) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .query(rows)
                .optional();
    }

    Optional<Message> findByIdempotencyKey(String orgId, String key) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND idempotency_key = :key")
                .param("orgId", orgId)
                .param("key", key)
                .query(rows)
                .optional();
    }

    /** Where a page of the history starts: after the message with this creation time and id. */
    record HistoryCursor(Instant createdAt, String id) {}

    /**
     * A page of the org's messages, newest first, optionally of one customer and/or one session, after
     * {@code cursor}. Backed by the indexes (org_id, customer_id | session_id, created_at DESC, id DESC).
     */
    List<Message> history(String orgId, String customerId, String sessionId, HistoryCursor cursor, int limit) {
        // Only the filters given, so that each shape of the query keeps its own index plan.
        String sql = "SELECT * FROM messages WHERE org_id = :orgId"
                + (customerId == null ? "" : " AND customer_id = :customerId")
                + (sessionId == null ? "" : " AND session_id = :sessionId")
                + (cursor == null ? "" : " AND (created_at, id) < (:cursorAt, :cursorId)")
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        var query = db.sql(sql).param("orgId", orgId).param("limit", limit);
        if (customerId != null) {
            query = query.param("customerId", customerId);
        }
        if (sessionId != null) {
            query = query.param("sessionId", sessionId);
        }
        if (cursor != null) {
            query = query.param("cursorAt", Timestamp.from(cursor.createdAt())).param("cursorId", cursor.id());
        }
        return query.query(rows).list();
    }
}
