package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.customers.Customers;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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

    /** A broadcast to create: the template, its content as sent, and the audience. */
    record NewBroadcast(
            String orgId,
            String id,
            String channelId,
            String templateName,
            String language,
            String userId,
            String sessionId,
            JsonNode content,
            Customers.Audience audience,
            boolean priority,
            String idempotencyKey,
            byte[] requestHash,
            Instant sendAt) {}

    /**
     * Stores the broadcast, {@code running} (or {@code scheduled} until its {@code sendAt}), with no recipients yet
     * (see {@link #setTotal}).
     */
    void insert(NewBroadcast b) {
        db.sql("""
                        INSERT INTO broadcasts (org_id, id, channel_id, template_name, language, user_id, session_id,
                                                total, status, idempotency_key, request_hash, send_at)
                        VALUES (:orgId, :id, :channelId, :templateName, :language, :userId, :sessionId, 0,
                                CASE WHEN CAST(:sendAt AS timestamptz) IS NULL THEN 'running' ELSE 'scheduled' END,
                                :idempotencyKey, :requestHash, :sendAt)
                        """)
                .param("sendAt", b.sendAt() == null ? null : Timestamp.from(b.sendAt()))
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

    /** The org's broadcasts, newest first. */
    List<Broadcast> list(String orgId, int limit) {
        return db.sql("""
                        SELECT * FROM broadcasts
                         WHERE org_id = :orgId
                         ORDER BY created_at DESC, id DESC
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("limit", limit)
                .query(Broadcasts::broadcast)
                .list();
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

    /** The orgs with broadcasts not finished yet (running, or cancelled with sends still to settle). */
    List<String> orgsWithUnfinishedBroadcasts() {
        return db.sql("SELECT DISTINCT org_id FROM broadcasts WHERE finished_at IS NULL")
                .query(String.class)
                .list();
    }

    /** Scheduled broadcasts whose time has come start running; answers the numbers they go out from. */
    List<Sender> startDue() {
        return db.sql("""
                        WITH started AS (
                            UPDATE broadcasts SET status = 'running', status_changed_at = now()
                             WHERE finished_at IS NULL AND status = 'scheduled' AND send_at <= now()
                            RETURNING org_id, channel_id
                        )
                        SELECT DISTINCT s.org_id, ch.id AS channel_id, coalesce(ch.is_default, false) AS is_default
                          FROM started s
                          LEFT JOIN channels ch ON ch.org_id = s.org_id
                               AND (ch.id = s.channel_id OR (s.channel_id IS NULL AND ch.is_default))
                        """)
                .query((rs, row) ->
                        new Sender(rs.getString("org_id"), rs.getString("channel_id"), rs.getBoolean("is_default")))
                .list();
    }

    /** The ids of the running broadcasts that go out from this number: the only ones whose recipients are sent. */
    List<String> runningOf(Sender sender) {
        return db.sql("""
                        SELECT b.id FROM broadcasts b
                         WHERE b.org_id = :orgId AND b.finished_at IS NULL AND b.status = 'running'
                           AND (b.channel_id = :channelId OR (b.channel_id IS NULL AND :isDefault))
                        """)
                .param("orgId", sender.orgId())
                .param("channelId", sender.channelId())
                .param("isDefault", sender.isDefault())
                .query(String.class)
                .list();
    }

    /**
     * Pauses a scheduled or running broadcast ({@code reason}: why); empty when it is not one (already paused,
     * ended, or no such broadcast of the org). The caller holds its recipients in the same transaction.
     */
    Optional<Broadcast> pause(String orgId, String id, String reason) {
        return db.sql("""
                        UPDATE broadcasts SET status = 'paused', paused_reason = :reason, status_changed_at = now()
                         WHERE org_id = :orgId AND id = :id AND status IN ('scheduled', 'running')
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("reason", reason)
                .query(Broadcasts::broadcast)
                .optional();
    }

    /** A paused broadcast runs again (or waits for its sendAt); empty when it is not paused. */
    Optional<Broadcast> resume(String orgId, String id) {
        return db.sql("""
                        UPDATE broadcasts
                           SET status = CASE WHEN send_at > now() THEN 'scheduled' ELSE 'running' END,
                               paused_reason = NULL, status_changed_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'paused'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .query(Broadcasts::broadcast)
                .optional();
    }

    /**
     * A broadcast that has not ended is cancelled, with the gateway's reason (kept in {@code paused_reason}: why it
     * stopped) or the org's (null); empty when it had ended. Its unsent recipients are the caller's.
     */
    Optional<Broadcast> cancel(String orgId, String id, String reason) {
        return db.sql("""
                        UPDATE broadcasts
                           SET status = 'cancelled', status_changed_at = now(),
                               paused_reason = coalesce(:reason, paused_reason)
                         WHERE org_id = :orgId AND id = :id AND status IN ('scheduled', 'running', 'paused')
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("reason", reason)
                .query(Broadcasts::broadcast)
                .optional();
    }

    /** The org's broadcasts of this template (in this language, or any when null) that have not ended. */
    List<String> unendedOfTemplate(String orgId, String templateName, String language) {
        return db.sql("""
                        SELECT id FROM broadcasts
                         WHERE org_id = :orgId AND finished_at IS NULL
                           AND status IN ('scheduled', 'running', 'paused')
                           AND template_name = :name AND (CAST(:language AS text) IS NULL OR language = :language)
                        """)
                .param("orgId", orgId)
                .param("name", templateName)
                .param("language", language)
                .query(String.class)
                .list();
    }

    /** The org's running broadcasts of this template (in this language, or any when null): to pause them. */
    List<String> runningOfTemplate(String orgId, String templateName, String language) {
        return db.sql("""
                        SELECT id FROM broadcasts
                         WHERE org_id = :orgId AND finished_at IS NULL AND status IN ('scheduled', 'running')
                           AND template_name = :name AND (CAST(:language AS text) IS NULL OR language = :language)
                        """)
                .param("orgId", orgId)
                .param("name", templateName)
                .param("language", language)
                .query(String.class)
                .list();
    }

    /**
     * The org's scheduled and running broadcasts from this channel (and, when {@code isDefault}, those stored without
     * one: see V20): to pause them.
     */
    List<String> runningOfChannel(String orgId, String channelId, boolean isDefault) {
        return db.sql("""
                        SELECT id FROM broadcasts
                         WHERE org_id = :orgId AND finished_at IS NULL AND status IN ('scheduled', 'running')
                           AND (channel_id = :channelId OR (channel_id IS NULL AND :isDefault))
                        """)
                .param("orgId", orgId)
                .param("channelId", channelId)
                .param("isDefault", isDefault)
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
                         WHERE b.finished_at IS NULL AND b.status = 'running'
                        """)
                .query((rs, row) ->
                        new Sender(rs.getString("org_id"), rs.getString("channel_id"), rs.getBoolean("is_default")))
                .list();
    }

    /** The ids of the org's broadcasts that may finish: running, or cancelled with sends still to settle. */
    List<String> unfinished(String orgId, String status) {
        return db.sql("""
                        SELECT id FROM broadcasts WHERE org_id = :orgId AND finished_at IS NULL AND status = :status
                        """)
                .param("orgId", orgId)
                .param("status", status)
                .query(String.class)
                .list();
    }

    /**
     * Those of these broadcasts that are still running become completed, and cancelled ones finished; answers the
     * ones that completed.
     */
    List<Broadcast> complete(String orgId, List<String> ids) {
        db.sql("""
                        UPDATE broadcasts SET finished_at = now()
                         WHERE org_id = :orgId AND id = ANY (:ids) AND status = 'cancelled' AND finished_at IS NULL
                        """)
                .param("orgId", orgId)
                .param("ids", ids.toArray(String[]::new))
                .update();
        return db.sql("""
                        UPDATE broadcasts
                           SET status = 'completed', finished_at = now(), status_changed_at = now()
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
                finished == null ? null : finished.toInstant(),
                rs.getTimestamp("send_at") == null
                        ? null
                        : rs.getTimestamp("send_at").toInstant(),
                rs.getString("paused_reason"));
    }
}
