package com.replyhero.whatsapp.templates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Broadcasts and their recipients (rows of {@code messages} with the broadcast's id). */
@Repository
class Broadcasts {

    static final int RATE_WINDOW_SECONDS = 5;

    private final JdbcClient db;
    private final JsonMapper json;

    Broadcasts(JdbcClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    record NewBroadcast(
            String orgId,
            String id,
            String templateName,
            String language,
            String userId,
            String sessionId,
            JsonNode content,
            List<String> customerIds,
            boolean priority,
            String idempotencyKey,
            byte[] requestHash) {}

    /**
     * Stores the broadcast and one queued message per recipient in one transaction, with one INSERT ... SELECT
     * from the org's customers (not opted out; only {@code customerIds} when given). Recipients of small,
     * synchronous sends go ahead of a running broadcast's queue.
     */
    @Transactional
    Broadcast create(NewBroadcast b) {
        db.sql("""
                        INSERT INTO broadcasts (org_id, id, template_name, language, user_id, session_id, total, status,
                                                idempotency_key, request_hash)
                        VALUES (:orgId, :id, :templateName, :language, :userId, :sessionId, 0, 'running',
                                :idempotencyKey, :requestHash)
                        """)
                .param("orgId", b.orgId())
                .param("id", b.id())
                .param("templateName", b.templateName())
                .param("language", b.language())
                .param("userId", b.userId())
                .param("sessionId", b.sessionId())
                .param("idempotencyKey", b.idempotencyKey())
                .param("requestHash", b.requestHash())
                .update();
        int total = db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, next_attempt_at, broadcast_id)
                        SELECT c.org_id, :id || lpad(row_number() OVER (ORDER BY c.id)::text, 8, '0'), c.id, :userId,
                               :sessionId, 'template', 'template', :content::jsonb, 'queued',
                               CASE WHEN :priority THEN now() - interval '1 day' ELSE now() END, :id
                          FROM customers c
                         WHERE c.org_id = :orgId AND NOT c.opted_out
                           AND (:all OR c.id = ANY (:customerIds))
                        """)
                .param("orgId", b.orgId())
                .param("id", b.id())
                .param("userId", b.userId())
                .param("sessionId", b.sessionId())
                .param("content", json.writeValueAsString(b.content()))
                .param("priority", b.priority())
                .param("all", b.customerIds() == null)
                .param(
                        "customerIds",
                        b.customerIds() == null
                                ? new String[0]
                                : b.customerIds().toArray(String[]::new))
                .update();
        db.sql("UPDATE broadcasts SET total = :total WHERE org_id = :orgId AND id = :id")
                .param("total", total)
                .param("orgId", b.orgId())
                .param("id", b.id())
                .update();
        return find(b.orgId(), b.id()).orElseThrow();
    }

    Optional<Broadcast> find(String orgId, String id) {
        return db.sql("SELECT * FROM broadcasts WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .query(Broadcasts::broadcast)
                .optional();
    }

    Optional<Broadcast> findByIdempotencyKey(String orgId, String key) {
        return db.sql("SELECT * FROM broadcasts WHERE org_id = :orgId AND idempotency_key = :key")
                .param("orgId", orgId)
                .param("key", key)
                .query(Broadcasts::broadcast)
                .optional();
    }

    /** Counts of the broadcast's recipients per message status, and how many were attempted lately. */
    Map<String, Long> statusCounts(String orgId, String id) {
        return db
                .sql("""
                        SELECT status, count(*) AS n FROM messages
                         WHERE org_id = :orgId AND broadcast_id = :id
                         GROUP BY status
                        UNION ALL
                        SELECT 'attempted_recently', count(*) FROM messages
                         WHERE org_id = :orgId AND broadcast_id = :id
                           AND attempted_at > now() - :window * interval '1 second'
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("window", RATE_WINDOW_SECONDS)
                .query((rs, row) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum));
    }

    /** Orgs with running broadcasts (the dispatcher's work list). */
    List<String> orgsWithRunningBroadcasts() {
        return db.sql("SELECT DISTINCT org_id FROM broadcasts WHERE status = 'running'")
                .query(String.class)
                .list();
    }

    /** Running broadcasts none of whose recipients is still queued, being sent or unknown become completed. */
    List<Broadcast> completeFinished(String orgId) {
        return db.sql("""
                        UPDATE broadcasts b
                           SET status = 'completed', finished_at = now()
                         WHERE b.org_id = :orgId AND b.status = 'running'
                           AND NOT EXISTS (SELECT 1 FROM messages m
                                            WHERE m.org_id = b.org_id AND m.broadcast_id = b.id
                                              AND m.status IN ('queued', 'sending', 'unknown'))
                        RETURNING b.*
                        """).param("orgId", orgId).query(Broadcasts::broadcast).list();
    }

    /** Whether the broadcast still has recipients waiting to be sent now or being sent. */
    boolean hasDueOrSending(String orgId, String id) {
        return db.sql("""
                        SELECT EXISTS (SELECT 1 FROM messages
                                        WHERE org_id = :orgId AND broadcast_id = :id
                                          AND (status = 'sending' OR (status = 'queued' AND next_attempt_at <= now())))
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    private static Broadcast broadcast(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Broadcast(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("template_name"),
                rs.getString("language"),
                rs.getString("user_id"),
                rs.getString("session_id"),
                rs.getInt("total"),
                rs.getString("status"),
                rs.getBytes("request_hash"),
                rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
