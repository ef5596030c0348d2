package com.replyhero.whatsapp.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable queue of events to orgs' webhooks, and the log of delivery attempts. */
@Repository
class EventQueue {

    /** An event as queued. {@code payload} is the exact JSON body that is signed and sent. */
    record QueuedEvent(
            String orgId,
            String id,
            long seq,
            String type,
            String subject,
            String payload,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Instant retryUntil,
            String lastError,
            Instant createdAt,
            Instant deliveredAt) {}

    /** One delivery attempt: the endpoint's HTTP status (null when there was no answer) or the error. */
    record Attempt(
            String eventId, int attempt, Instant attemptedAt, Integer responseCode, String error, int durationMs) {}

    private final JdbcClient db;

    EventQueue(JdbcClient db) {
        this.db = db;
    }

    /**
     * Leases due events to this node: oldest due first, at most {@code perOrg} per org, none of the orgs in
     * {@code busy}, and never an event while an earlier one of the same subject is still pending (so the
     * events of one message arrive in order).
     */
    List<QueuedEvent> claim(int scan, int perOrg, Collection<String> busy, Duration lease) {
        return db.sql("""
                        UPDATE org_events e
                           SET lease_until = now() + :lease * interval '1 millisecond'
                          FROM (SELECT org_id, id
                                  FROM (SELECT org_id, id, row_number() OVER (PARTITION BY org_id ORDER BY seq) AS n
                                          FROM (SELECT org_id, id, seq FROM org_events o
                                                 WHERE status = 'pending' AND next_attempt_at <= now()
                                                   AND (lease_until IS NULL OR lease_until < now())
                                                   AND org_id NOT IN (:busy)
                                                   AND NOT EXISTS (
                                                       SELECT 1 FROM org_webhooks w
                                                        WHERE w.org_id = o.org_id AND w.disabled_at IS NOT NULL)
                                                   AND NOT EXISTS (
                                                       SELECT 1 FROM org_events earlier
                                                        WHERE earlier.org_id = o.org_id
                                                          AND earlier.subject = o.subject
                                                          AND earlier.status = 'pending'
                                                          AND earlier.seq < o.seq)
                                                 ORDER BY next_attempt_at, seq
                                                 LIMIT :scan
                                                   FOR UPDATE SKIP LOCKED) candidates) ranked
                                 WHERE n <= :perOrg) due
                         WHERE e.org_id = due.org_id AND e.id = due.id
                        RETURNING e.*
                        """)
                .param("lease", lease.toMillis())
                .param("busy", busy.isEmpty() ? List.of("") : busy)
                .param("scan", scan)
                .param("perOrg", perOrg)
                .query(EventQueue::event)
                .list();
    }

    /** Gives a leased event back without an attempt (this node had no room for it). */
    void release(String orgId, String id) {
        db.sql("UPDATE org_events SET lease_until = NULL WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .update();
    }

    /**
     * Logs an attempt and moves the event on, in one statement: {@code delivered}, {@code pending} again at
     * {@code nextAttemptAt}, or {@code dead}.
     */
    void recordAttempt(
            QueuedEvent event, String status, Instant nextAttemptAt, Integer responseCode, String error, int millis) {
        db.sql("""
                        WITH attempt AS (
                            INSERT INTO org_event_attempts (org_id, event_id, attempt, response_code, error, duration_ms)
                            SELECT org_id, id, attempts + 1, :responseCode::integer, :error::text, :millis::integer
                              FROM org_events WHERE org_id = :orgId AND id = :id
                            RETURNING org_id, event_id)
                        UPDATE org_events e
                           SET attempts = e.attempts + 1, status = :status::text, lease_until = NULL,
                               next_attempt_at = coalesce(:next::timestamptz, e.next_attempt_at), last_error = :error::text,
                               delivered_at = CASE WHEN :status::text = 'delivered' THEN now() ELSE e.delivered_at END
                          FROM attempt
                         WHERE e.org_id = attempt.org_id AND e.id = attempt.event_id
                        """)
                .param("orgId", event.orgId())
                .param("id", event.id())
                .param("status", status)
                .param("next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt))
                .param("responseCode", responseCode)
                .param("error", error)
                .param("millis", millis)
                .update();
    }

    Optional<QueuedEvent> find(String orgId, String id) {
        return db.sql("SELECT * FROM org_events WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .query(EventQueue::event)
                .optional();
    }

    /** The org's events, newest first, optionally in one status, before the event numbered {@code beforeSeq}. */
    List<QueuedEvent> list(String orgId, String status, Long beforeSeq, int limit) {
        String sql = "SELECT * FROM org_events WHERE org_id = :orgId"
                + (status == null ? "" : " AND status = :status")
                + (beforeSeq == null ? "" : " AND seq < :beforeSeq")
                + " ORDER BY seq DESC LIMIT :limit";
        var query = db.sql(sql).param("orgId", orgId).param("limit", limit);
        if (status != null) {
            query = query.param("status", status);
        }
        if (beforeSeq != null) {
            query = query.param("beforeSeq", beforeSeq);
        }
        return query.query(EventQueue::event).list();
    }

    List<Attempt> attempts(String orgId, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return List.of();
        }
        return db.sql("""
                        SELECT * FROM org_event_attempts
                         WHERE org_id = :orgId AND event_id IN (:ids)
                         ORDER BY event_id, attempt
                        """)
                .param("orgId", orgId)
                .param("ids", eventIds)
                .query((rs, row) -> new Attempt(
                        rs.getString("event_id"),
                        rs.getInt("attempt"),
                        rs.getTimestamp("attempted_at").toInstant(),
                        (Integer) rs.getObject("response_code"),
                        rs.getString("error"),
                        rs.getInt("duration_ms")))
                .list();
    }

    /** A dead (or delivered) event goes back to the queue, with a fresh retry period; empty when pending. */
    Optional<QueuedEvent> replay(String orgId, String id, Duration retryFor) {
        return db.sql("""
                        UPDATE org_events
                           SET status = 'pending', next_attempt_at = now(), lease_until = NULL,
                               retry_until = now() + :retryFor * interval '1 millisecond'
                         WHERE org_id = :orgId AND id = :id AND status <> 'pending'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("retryFor", retryFor.toMillis())
                .query(EventQueue::event)
                .optional();
    }

    private static QueuedEvent event(ResultSet rs, int row) throws SQLException {
        Timestamp delivered = rs.getTimestamp("delivered_at");
        return new QueuedEvent(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getLong("seq"),
                rs.getString("type"),
                rs.getString("subject"),
                rs.getString("payload"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getTimestamp("next_attempt_at").toInstant(),
                rs.getTimestamp("retry_until").toInstant(),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                delivered == null ? null : delivered.toInstant());
    }
}
