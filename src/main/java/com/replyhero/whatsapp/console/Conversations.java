package com.replyhero.whatsapp.console;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The inbox's conversations (one per customer of an org who has messages): who it is assigned to, up to when the
 * team read it, and its last activity (the newest message's time). Every query is scoped by org.
 */
@Repository
class Conversations {

    record Conversation(String customerId, String assignedTo, Instant readUpTo, Instant updatedAt) {}

    /** A message of the customer {@code customerId} of the org {@code orgId} was stored or changed. */
    record Touch(String orgId, String customerId, Instant at) {}

    private final JdbcClient db;

    Conversations(JdbcClient db) {
        this.db = db;
    }

    /**
     * The org's conversations by last activity, newest first: optionally only those assigned to {@code assignedTo}
     * and only those of {@code customerIds}.
     */
    List<Conversation> list(String orgId, String assignedTo, Collection<String> customerIds, int limit) {
        return db.sql("""
                        SELECT * FROM conversations
                         WHERE org_id = :orgId
                           AND (:assignedTo::text IS NULL OR assigned_to = :assignedTo)
                           AND (:filtered = false OR customer_id = ANY (:ids))
                         ORDER BY updated_at DESC, customer_id
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("assignedTo", assignedTo)
                .param("filtered", customerIds != null)
                .param("ids", customerIds == null ? new String[0] : customerIds.toArray(String[]::new))
                .param("limit", limit)
                .query(Conversations::conversation)
                .list();
    }

    Optional<Conversation> find(String orgId, String customerId) {
        return db.sql("SELECT * FROM conversations WHERE org_id = :orgId AND customer_id = :customerId")
                .param("orgId", orgId)
                .param("customerId", customerId)
                .query(Conversations::conversation)
                .optional();
    }

    /** Moves the conversations' last activity forward (never back), creating those not known yet: one statement. */
    void touch(List<Touch> touches) {
        if (touches.isEmpty()) {
            return;
        }
        db.sql("""
                        INSERT INTO conversations AS c (org_id, customer_id, updated_at)
                        SELECT org_id, customer_id, max(at)
                          FROM unnest(:orgIds::text[], :customerIds::text[], :ats::timestamptz[])
                               AS t (org_id, customer_id, at)
                         GROUP BY org_id, customer_id
                        ON CONFLICT (org_id, customer_id) DO UPDATE
                           SET updated_at = greatest(c.updated_at, excluded.updated_at)
                        """)
                .param("orgIds", touches.stream().map(Touch::orgId).toArray(String[]::new))
                .param("customerIds", touches.stream().map(Touch::customerId).toArray(String[]::new))
                // ISO-8601 instants, read as timestamptz by the database: exact to the microsecond
                .param("ats", touches.stream().map(t -> t.at().toString()).toArray(String[]::new))
                .update();
    }

    /** The team has read the conversation up to {@code upTo}: answers whether the mark moved (it never moves back). */
    boolean markRead(String orgId, String customerId, Instant upTo) {
        return db.sql("""
                        INSERT INTO conversations AS c (org_id, customer_id, read_up_to, updated_at)
                        VALUES (:orgId, :customerId, :upTo, :upTo)
                        ON CONFLICT (org_id, customer_id) DO UPDATE
                           SET read_up_to = excluded.read_up_to
                         WHERE c.read_up_to IS NULL OR c.read_up_to < excluded.read_up_to
                        """)
                        .param("orgId", orgId)
                        .param("customerId", customerId)
                        .param("upTo", Timestamp.from(upTo))
                        .update()
                > 0;
    }

    /** Assigns the conversation to the org's user {@code userId}, or to nobody (null). */
    void assign(String orgId, String customerId, String userId) {
        db.sql("""
                        INSERT INTO conversations AS c (org_id, customer_id, assigned_to)
                        VALUES (:orgId, :customerId, :userId)
                        ON CONFLICT (org_id, customer_id) DO UPDATE SET assigned_to = excluded.assigned_to
                        """)
                .param("orgId", orgId)
                .param("customerId", customerId)
                .param("userId", userId)
                .update();
    }

    private static Conversation conversation(ResultSet rs, int row) throws SQLException {
        Timestamp readUpTo = rs.getTimestamp("read_up_to");
        return new Conversation(
                rs.getString("customer_id"),
                rs.getString("assigned_to"),
                readUpTo == null ? null : readUpTo.toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
