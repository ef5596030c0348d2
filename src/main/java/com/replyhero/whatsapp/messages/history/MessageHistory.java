package com.replyhero.whatsapp.messages.history;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.store.MessageRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The conversation history as stored: pages of the org's messages, newest first. Every query is scoped by org. */
@Repository
class MessageHistory {

    private final JdbcClient db;
    private final MessageRows rows;

    MessageHistory(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    /** Where a page of the history starts: after the message with this creation time and id. */
    record Cursor(Instant createdAt, String id) {}

    /**
     * A page of the org's messages, newest first, optionally of one customer and/or one session, after
     * {@code cursor}. Backed by the indexes (org_id, customer_id | session_id, created_at DESC, id DESC).
     */
    List<Message> page(String orgId, String customerId, String sessionId, Cursor cursor, int limit) {
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
