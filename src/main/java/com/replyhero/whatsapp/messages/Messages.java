package com.replyhero.whatsapp.messages;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Messages and their delivery state. Every query is scoped by org. */
@Repository
public class Messages {

    private final JdbcClient db;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;

    Messages(JdbcClient db, JsonMapper json, ApplicationEventPublisher events, TransactionTemplate transaction) {
        this.db = db;
        this.json = json;
        this.events = events;
        this.transaction = transaction;
    }

    /** What an outbound message is stored with before the Cloud API is called. */
    public record NewOutbound(
            String orgId,
            String id,
            String customerId,
            String userId,
            String sessionId,
            String messageType,
            String kind,
            JsonNode content,
            String idempotencyKey,
            byte[] requestHash) {}

    /** Stores an outbound message as {@code sending}, leased for {@code lease} (a crash then makes it unknown). */
    public Message insertSending(NewOutbound m, Duration lease) {
        return bindSending(db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind, content,
                                              status, idempotency_key, request_hash, attempts, lease_until)
                        VALUES (:orgId, :id, :customerId, :userId, :sessionId, :messageType, :kind, :content::jsonb,
                                'sending', :idempotencyKey, :requestHash, 1, now() + :lease * interval '1 millisecond')
                        RETURNING *
                        """), m, lease).query(this::message).single();
    }

    /** The parameters of a new outbound message stored as {@code sending}: one binding for every statement that does. */
    JdbcClient.StatementSpec bindSending(JdbcClient.StatementSpec spec, NewOutbound m, Duration lease) {
        return spec.param("orgId", m.orgId())
                .param("id", m.id())
                .param("customerId", m.customerId())
                .param("userId", m.userId())
                .param("sessionId", m.sessionId())
                .param("messageType", m.messageType())
                .param("kind", m.kind())
                .param("content", json.writeValueAsString(m.content()))
                .param("idempotencyKey", m.idempotencyKey())
                .param("requestHash", m.requestHash())
                .param("lease", lease.toMillis());
    }

    public Optional<Message> find(String orgId, String id) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .query(this::message)
                .optional();
    }

    public Optional<Message> findByIdempotencyKey(String orgId, String key) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND idempotency_key = :key")
                .param("orgId", orgId)
                .param("key", key)
                .query(this::message)
                .optional();
    }

    /**
     * Meta took the message: record its wamid and answer (a status webhook may already have moved it on). One
     * statement also tells whether statuses for it were kept before the wamid was known (rare: then they apply).
     * A message that became {@code accepted} has no error; one that a status webhook already moved on keeps its
     * status and error (Meta's {@code failed} included); one we had presumed failed ({@code outcome_unknown},
     * its call outlived its lease) was in fact sent: it becomes {@code accepted}, and the org gets that status.
     */
    public Message markAccepted(String orgId, String id, String wamid, JsonNode response) {
        Accepted accepted = db.sql("""
                        UPDATE messages
                           SET status = CASE WHEN status_rank(status) < status_rank('accepted')
                                             THEN 'accepted' ELSE status END,
                               error_code = CASE WHEN status_rank(status) < status_rank('accepted')
                                                 THEN NULL ELSE error_code END,
                               error_message = CASE WHEN status_rank(status) < status_rank('accepted')
                                                    THEN NULL ELSE error_message END,
                               upstream_code = CASE WHEN status_rank(status) < status_rank('accepted')
                                                    THEN NULL ELSE upstream_code END,
                               wamid = :wamid, response = :response::jsonb, lease_until = NULL,
                               next_attempt_at = NULL, updated_at = now()
                         WHERE org_id = :orgId AND id = :id
                        RETURNING *,
                                  EXISTS (SELECT 1 FROM pending_statuses p
                                           WHERE p.org_id = :orgId AND (p.wamid = :wamid OR p.callback_id = :id))
                                      AS has_pending_statuses
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("wamid", wamid)
                .param("response", json.writeValueAsString(response))
                .query((rs, row) -> new Accepted(message(rs, row), rs.getBoolean("has_pending_statuses")))
                .single();
        Message m = accepted.message();
        if (m.status() == MessageStatus.FAILED && OUTCOME_UNKNOWN.equals(m.errorCode())) {
            m = acceptPresumedFailure(orgId, id);
        }
        return accepted.pendingStatuses() ? applyPendingStatuses(m) : m;
    }

    /** Our error code for a send whose outcome no answer and no status settled by its deadline. */
    static final String OUTCOME_UNKNOWN = "outcome_unknown";

    /** A presumed failure that Meta accepted after all becomes {@code accepted}, with its event, in one transaction. */
    private Message acceptPresumedFailure(String orgId, String id) {
        return transaction.execute(tx -> db.sql("""
                                UPDATE messages
                                   SET status = 'accepted', error_code = NULL, error_message = NULL,
                                       upstream_code = NULL, updated_at = now()
                                 WHERE org_id = :orgId AND id = :id
                                   AND status = 'failed' AND error_code = 'outcome_unknown'
                                RETURNING *
                                """)
                .param("orgId", orgId)
                .param("id", id)
                .query(this::message)
                .optional()
                .map(m -> {
                    events.publishEvent(new MessageStatusChanged(m));
                    return m;
                })
                .orElseGet(() -> find(orgId, id).orElseThrow()));
    }

    private record Accepted(Message message, boolean pendingStatuses) {}

    /**
     * A final failure, with our code, Meta's code and the text, of a message not yet accepted (queued, sending or
     * unknown); one that Meta's status already moved on is left as it is. The change and its
     * {@link MessageStatusChanged} (the org's {@code message.status} event) commit together or not at all.
     */
    public Message markFailed(String orgId, String id, String code, Integer upstreamCode, String text) {
        return transaction.execute(tx -> db.sql("""
                                UPDATE messages
                                   SET status = 'failed', error_code = :code, upstream_code = :upstreamCode,
                                       error_message = :text, lease_until = NULL, next_attempt_at = NULL,
                                       updated_at = now()
                                 WHERE org_id = :orgId AND id = :id AND status IN ('queued', 'sending', 'unknown')
                                RETURNING *
                                """)
                .param("orgId", orgId)
                .param("id", id)
                .param("code", code)
                .param("upstreamCode", upstreamCode)
                .param("text", text)
                .query(this::message)
                .optional()
                .map(failed -> {
                    events.publishEvent(new MessageStatusChanged(failed)); // e.g. a queued send out of retries
                    return failed;
                })
                .orElseGet(() -> find(orgId, id).orElseThrow()));
    }

    /**
     * A send that provably did not leave: try again at {@code at}. Only a message being sent (or whose send became
     * unknown meanwhile) goes back to the queue: one that Meta's status webhook already moved on (Meta took it
     * after all) or that was reported failed stays as it is, so it is never sent again.
     */
    public Message markQueued(String orgId, String id, Instant at, Integer upstreamCode, String text) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'queued', next_attempt_at = :at, lease_until = NULL,
                               upstream_code = :upstreamCode, error_message = :text, updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status IN ('sending', 'unknown')
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("at", Timestamp.from(at))
                .param("upstreamCode", upstreamCode)
                .param("text", text)
                .query(this::message)
                .optional()
                .orElseGet(() -> find(orgId, id).orElseThrow());
    }

    /**
     * A send that may have left: only Meta's status webhook (or the deadline) settles it. The message carries this
     * attempt's facts only: Meta's code from an earlier attempt (a 503 before this retry) is cleared.
     */
    public Message markUnknown(String orgId, String id, Instant deadline, String text) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'unknown', lease_until = :deadline, error_message = :text,
                               upstream_code = NULL, unknown_at = now(), updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'sending'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("deadline", Timestamp.from(deadline))
                .param("text", text)
                .query(this::message)
                .optional()
                .orElseGet(() -> find(orgId, id).orElseThrow());
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
                           SET status = :status, wamid = coalesce(wamid, :wamid), lease_until = NULL,
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
                .query(this::message)
                .list();
        changed.forEach(m -> events.publishEvent(new MessageStatusChanged(m)));
        if (changed.isEmpty() && !known(orgId, wamid, callbackId)) {
            db.sql("""
                            INSERT INTO pending_statuses (org_id, wamid, callback_id, status, upstream_code, error_message)
                            VALUES (:orgId, :wamid, :callbackId, :status, :upstreamCode, :text)
                            """)
                    .param("orgId", orgId)
                    .param("wamid", wamid)
                    .param("callbackId", callbackId)
                    .param("status", status.value())
                    .param("upstreamCode", upstreamCode)
                    .param("text", text)
                    .update();
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

    /** Applies, in status order, the statuses kept for this message before its wamid was known. */
    private Message applyPendingStatuses(Message m) {
        if (!hasPendingStatuses(m.orgId(), m.wamid(), m.id())) {
            return m;
        }
        return transaction.execute(tx -> {
            List<PendingStatus> pending = db.sql("""
                            DELETE FROM pending_statuses
                             WHERE org_id = :orgId AND (wamid = :wamid OR callback_id = :id)
                            RETURNING wamid, status, upstream_code, error_message
                            """)
                    .param("orgId", m.orgId())
                    .param("wamid", m.wamid())
                    .param("id", m.id())
                    .query((rs, row) -> new PendingStatus(
                            rs.getString("wamid"),
                            MessageStatus.of(rs.getString("status")),
                            (Integer) rs.getObject("upstream_code"),
                            rs.getString("error_message")))
                    .list();
            pending.stream()
                    .sorted(java.util.Comparator.comparing(PendingStatus::status))
                    .forEach(p -> applyStatus(
                            m.orgId(),
                            m.wamid() == null ? p.wamid() : m.wamid(),
                            m.id(),
                            p.status(),
                            p.upstreamCode(),
                            p.text()));
            return find(m.orgId(), m.id()).orElseThrow();
        });
    }

    private record PendingStatus(String wamid, MessageStatus status, Integer upstreamCode, String text) {}

    private boolean hasPendingStatuses(String orgId, String wamid, String id) {
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

    /**
     * Kept statuses whose message has since recorded its wamid by another way (or whose record raced with
     * the status): applied now. Statuses older than {@code maxAge} that match nothing are dropped (another
     * system's messages on the same number). Answers how many were applied.
     */
    public int sweepPendingStatuses(Duration maxAge, int limit) {
        List<Message> matched =
                db.sql("""
                        SELECT DISTINCT m.* FROM pending_statuses p
                          JOIN messages m ON m.org_id = p.org_id AND (m.wamid = p.wamid OR m.id = p.callback_id)
                         LIMIT :limit
                        """).param("limit", limit).query(this::message).list();
        matched.forEach(this::applyPendingStatuses);
        db.sql("DELETE FROM pending_statuses WHERE received_at < now() - :maxAge * interval '1 millisecond'")
                .param("maxAge", maxAge.toMillis())
                .update();
        return matched.size();
    }

    /** What an inbound message is stored with. */
    public record NewInbound(
            String orgId, String customerId, String wamid, String kind, JsonNode content, Instant at) {}

    /**
     * Stores a customer's message once per wamid (Meta retries webhooks for days). It joins the customer's
     * active session, the session of their latest message within the window, else a new one.
     * Answers the stored message, or empty when it was already there.
     */
    public Optional<Message> insertInbound(NewInbound m, String newId, String newSessionId) {
        return db.sql("""
                        INSERT INTO messages (org_id, id, customer_id, session_id, message_type, kind, content, status,
                                              wamid, created_at)
                        VALUES (:orgId, :id, :customerId,
                                coalesce((SELECT session_id FROM messages
                                           WHERE org_id = :orgId AND customer_id = :customerId
                                             AND created_at > :at::timestamptz - interval '24 hours'
                                           ORDER BY created_at DESC, id DESC LIMIT 1), :newSessionId),
                                'user', :kind, :content::jsonb, 'received', :wamid,
                                -- Meta's timestamps have whole seconds: a fresh message gets its exact arrival
                                -- time, so that it sorts after a reply sent earlier in the same second
                                CASE WHEN :at::timestamptz > now() - interval '5 seconds' THEN now()
                                     ELSE :at::timestamptz END)
                        ON CONFLICT (org_id, wamid) WHERE wamid IS NOT NULL DO NOTHING
                        RETURNING *
                        """)
                .param("orgId", m.orgId())
                .param("id", newId)
                .param("customerId", m.customerId())
                .param("newSessionId", newSessionId)
                .param("kind", m.kind())
                .param("content", json.writeValueAsString(m.content()))
                .param("wamid", m.wamid())
                .param("at", Timestamp.from(m.at()))
                .query(this::message)
                .optional()
                .map(stored -> {
                    events.publishEvent(new MessageReceived(stored));
                    return stored;
                });
    }

    /** Where a page of the history starts: after the message with this creation time and id. */
    public record HistoryCursor(Instant createdAt, String id) {}

    /**
     * A page of the org's messages, newest first, optionally of one customer and/or one session, after
     * {@code cursor}. Backed by the indexes (org_id, customer_id | session_id, created_at DESC, id DESC).
     */
    public List<Message> history(String orgId, String customerId, String sessionId, HistoryCursor cursor, int limit) {
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
        return query.query(this::message).list();
    }

    /**
     * Claims up to {@code limit} due messages of the retry queue for this node. They stay {@code queued}, leased
     * until {@link Claimed#leaseUntil()} (another node skips them meanwhile): each is marked {@code sending} by
     * {@link #markSending(String, String, OffsetDateTime, Duration)} just before its own call, so a node that dies
     * before that call leaves it queued (provably not sent), to be claimed again when the lease runs out.
     */
    public List<Claimed> claimDue(int limit, Duration lease) {
        return db.sql("""
                        UPDATE messages m
                           SET lease_until = now() + :lease * interval '1 millisecond'
                          FROM (SELECT q.org_id, q.id, c.phone FROM messages q
                                  LEFT JOIN customers c ON c.org_id = q.org_id AND c.id = q.customer_id
                                 WHERE q.status = 'queued' AND q.next_attempt_at <= now() AND q.broadcast_id IS NULL
                                   AND (q.lease_until IS NULL OR q.lease_until < now())
                                 ORDER BY q.next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE OF q SKIP LOCKED) due
                         WHERE m.org_id = due.org_id AND m.id = due.id
                        RETURNING m.*, due.phone AS customer_phone
                        """)
                .param("limit", limit)
                .param("lease", lease.toMillis())
                .query(this::claimed)
                .list();
    }

    /**
     * A queued message claimed by this node, with the number it goes to (null when the customer is gone) and the
     * end of the claim's lease, which also identifies the claim: a later claim by another node has another.
     */
    public record Claimed(Message message, String phone, OffsetDateTime leaseUntil) {}

    private Claimed claimed(ResultSet rs, int row) throws SQLException {
        return new Claimed(
                message(rs, row), rs.getString("customer_phone"), rs.getObject("lease_until", OffsetDateTime.class));
    }

    /**
     * Claims up to {@code limit} due recipients of the org's broadcasts (oldest first) for this node: they stay
     * {@code queued} but leased, so no other node takes them, and a node that dies before calling the Cloud
     * API for one leaves it to be claimed again when the lease runs out (it was provably not sent).
     */
    public List<Claimed> claimBroadcastDue(String orgId, int limit, Duration lease) {
        return db.sql("""
                        UPDATE messages m
                           SET lease_until = now() + :lease * interval '1 millisecond'
                          FROM (SELECT org_id, id FROM messages
                                 WHERE org_id = :orgId AND status = 'queued' AND broadcast_id IS NOT NULL
                                   AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                                 ORDER BY next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) due, customers c
                         WHERE m.org_id = due.org_id AND m.id = due.id
                           AND c.org_id = m.org_id AND c.id = m.customer_id
                        RETURNING m.*, c.phone AS customer_phone
                        """)
                .param("orgId", orgId)
                .param("limit", limit)
                .param("lease", lease.toMillis())
                .query(this::claimed)
                .list();
    }

    /**
     * Marks a claimed broadcast recipient {@code sending} just before its Cloud API call (committed first: from
     * here on the call may have left, so a crash makes it {@code unknown}, never sent again). Empty when it is no
     * longer queued.
     */
    public Optional<Message> markSending(String orgId, String id, Duration lease) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'sending', attempts = attempts + 1, attempted_at = now(),
                               lease_until = now() + :lease * interval '1 millisecond', updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'queued'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("lease", lease.toMillis())
                .query(this::message)
                .optional();
    }

    /**
     * Marks a message of the retry queue {@code sending} just before its Cloud API call, if it is still queued and
     * still under this node's claim (the claim's lease unchanged: a claim that ran out and was taken by another
     * node is not ours to send). Committed first: from here on the call may have left, so a crash makes it
     * {@code unknown}, never sent again. Empty when it is no longer ours.
     */
    public Optional<Message> markSending(String orgId, String id, OffsetDateTime claimedUntil, Duration lease) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'sending', attempts = attempts + 1, attempted_at = now(),
                               lease_until = now() + :lease * interval '1 millisecond', updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'queued' AND lease_until = :claimedUntil
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("claimedUntil", claimedUntil)
                .param("lease", lease.toMillis())
                .query(this::message)
                .optional();
    }

    /** Gives a claimed, not yet sent broadcast recipient back, to be claimed again (with a new slot) at once. */
    public void releaseClaim(String orgId, String id) {
        db.sql("""
                        UPDATE messages SET lease_until = NULL
                         WHERE org_id = :orgId AND id = :id AND status = 'queued'
                        """).param("orgId", orgId).param("id", id).update();
    }

    /** Gives a claimed, not yet sent message of the retry queue back, if the claim is still this node's. */
    public void releaseClaim(String orgId, String id, OffsetDateTime claimedUntil) {
        db.sql("""
                        UPDATE messages SET lease_until = NULL
                         WHERE org_id = :orgId AND id = :id AND status = 'queued' AND lease_until = :claimedUntil
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("claimedUntil", claimedUntil)
                .update();
    }

    /** A page of a broadcast's recipient messages, by id after {@code cursor}. */
    public List<Message> ofBroadcast(String orgId, String broadcastId, String cursor, int limit) {
        return db.sql("""
                        SELECT * FROM messages
                         WHERE org_id = :orgId AND broadcast_id = :broadcastId
                           AND (:cursor::text IS NULL OR id > :cursor)
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("broadcastId", broadcastId)
                .param("cursor", cursor)
                .param("limit", limit)
                .query(this::message)
                .list();
    }

    /**
     * Messages whose sender died mid-call (lease over while {@code sending}) become {@code unknown}: the call
     * may have reached Meta, so they are never sent again blindly. Answers how many.
     */
    public int expireSendingLeases(Duration unknownDeadline) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'unknown', lease_until = now() + :deadline * interval '1 millisecond',
                               error_message = 'the gateway stopped while the Cloud API was being called',
                               upstream_code = NULL, unknown_at = now(), updated_at = now()
                         WHERE status = 'sending' AND lease_until < now()
                        """).param("deadline", unknownDeadline.toMillis()).update();
    }

    /**
     * Unknown outcomes that no status webhook settled by their deadline: presumed failed. Each change and its
     * {@link MessageStatusChanged} (the org's {@code message.status} event) commit together or not at all.
     */
    public List<Message> failExpiredUnknowns(int limit) {
        return transaction.execute(tx -> {
            List<Message> failed =
                    db.sql("""
                            UPDATE messages m
                               SET status = 'failed', error_code = 'outcome_unknown', lease_until = NULL,
                                   error_message = 'no answer and no status from the Cloud API before the deadline',
                                   upstream_code = NULL, updated_at = now()
                              FROM (SELECT org_id, id FROM messages
                                     WHERE status = 'unknown' AND lease_until < now()
                                     LIMIT :limit
                                       FOR UPDATE SKIP LOCKED) expired
                             WHERE m.org_id = expired.org_id AND m.id = expired.id
                            RETURNING m.*
                            """).param("limit", limit).query(this::message).list();
            failed.forEach(m -> events.publishEvent(new MessageStatusChanged(m)));
            return failed;
        });
    }

    Message message(ResultSet rs, int row) throws SQLException {
        String response = rs.getString("response");
        int upstreamCode = rs.getInt("upstream_code");
        boolean noUpstreamCode = rs.wasNull();
        return new Message(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("customer_id"),
                rs.getString("user_id"),
                rs.getString("session_id"),
                rs.getString("message_type"),
                rs.getString("kind"),
                json.readTree(rs.getString("content")),
                MessageStatus.of(rs.getString("status")),
                rs.getString("wamid"),
                response == null ? null : json.readTree(response),
                rs.getString("error_code"),
                rs.getString("error_message"),
                noUpstreamCode ? null : upstreamCode,
                rs.getBytes("request_hash"),
                rs.getInt("attempts"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
