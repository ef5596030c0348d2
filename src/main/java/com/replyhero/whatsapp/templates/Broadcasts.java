package com.replyhero.whatsapp.templates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** Broadcasts: a template sent to many customers (their recipients are messages, kept by {@code messages}). */
@Repository
class Broadcasts {

    static final int RATE_WINDOW_SECONDS = 5;

    private final JdbcClient db;

    Broadcasts(JdbcClient db) {
        this.db = db;
    }

    /** A broadcast to create: the template, its content as sent, and the audience (null: every customer). */
    record NewBroadcast(
            String orgId,
            String id,
            String channelId,
            String templateName,
            String language,
            String userId,
            String sessionId,
            JsonNode content,
            List<String> customerIds,
            boolean priority,
            String idempotencyKey,
            byte[] requestHash) {}

    /** Stores the broadcast, {@code running}, with no recipients yet (see {@link #setTotal}). */
    void insert(NewBroadcast b) {
        db.sql("""
                        INSERT INTO broadcasts (org_id, id, channel_id, template_name, language, user_id, session_id,
                                                total, status, idempotency_key, request_hash)
                        VALUES (:orgId, :id, :channelId, :templateName, :language, :userId, :sessionId, 0, 'running',
                                :idempotencyKey, :requestHash)
                        """)
                .param("orgId", b.orgId())
                .param("id", b.id())
                .param("channelId", b.channelId())
                .param("templateName", b.templateName())
                .param("language", b.language())
                .param("userId", b.userId())
                .param("sessionId", b.sessionId())
                .param("idempotencyKey", b.idempotencyKey())
                .param("requestHash", b.requestHash())
                .update();
    }

    /** Records how many recipients the broadcast has; answers it as stored. */
    Broadcast setTotal(String orgId, String id, int total) {
        db.sql("UPDATE broadcasts SET total = :total WHERE org_id = :orgId AND id = :id")
                .param("total", total)
                .param("orgId", orgId)
                .param("id", id)
                .update();
        return find(orgId, id).orElseThrow();
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

    /** Orgs with running broadcasts (the dispatcher's work list). */
    /**
     * A number with broadcasts to send: {@code channelId} null when the org has no channel of that id (nor a default,
     * for a broadcast stored before channels had ids); {@code isDefault}: whether it is the org's default, which also
     * sends the recipients stored without a channel.
     */
    record Sender(String orgId, String channelId, boolean isDefault) {}

    List<String> orgsWithRunningBroadcasts() {
        return db.sql("SELECT DISTINCT org_id FROM broadcasts WHERE status = 'running'")
                .query(String.class)
                .list();
    }

    /** The numbers with running broadcasts. */
    List<Sender> sendersOfRunningBroadcasts() {
        return db.sql("""
                        SELECT DISTINCT b.org_id, ch.id AS channel_id, coalesce(ch.is_default, false) AS is_default
                          FROM broadcasts b
                          LEFT JOIN channels ch ON ch.org_id = b.org_id
                               AND (ch.id = b.channel_id OR (b.channel_id IS NULL AND ch.is_default))
                         WHERE b.status = 'running'
                        """)
                .query((rs, row) ->
                        new Sender(rs.getString("org_id"), rs.getString("channel_id"), rs.getBoolean("is_default")))
                .list();
    }

    /** The ids of the org's running broadcasts. */
    List<String> running(String orgId) {
        return db.sql("SELECT id FROM broadcasts WHERE org_id = :orgId AND status = 'running'")
                .param("orgId", orgId)
                .query(String.class)
                .list();
    }

    /** Those of these broadcasts that are still running become completed; answers them. */
    List<Broadcast> complete(String orgId, List<String> ids) {
        return db.sql("""
                        UPDATE broadcasts
                           SET status = 'completed', finished_at = now()
                         WHERE org_id = :orgId AND id = ANY (:ids) AND status = 'running'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("ids", ids.toArray(String[]::new))
                .query(Broadcasts::broadcast)
                .list();
    }

    private static Broadcast broadcast(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Broadcast(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("channel_id"),
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
