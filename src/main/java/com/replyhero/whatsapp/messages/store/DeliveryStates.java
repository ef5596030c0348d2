package com.replyhero.whatsapp.messages.store;

import com.replyhero.whatsapp.cloudapi.UpstreamFailure;
import com.replyhero.whatsapp.database.AsyncCommit;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.MessageStatusChanged;
import com.replyhero.whatsapp.messages.Statuses;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * How each attempt to send a message ended (accepted, failed, queued again, unknown), and what a crash left
 * behind (a lease that ran out while {@code sending}, an {@code unknown} past its deadline). Each change is
 * conditioned on the state it leaves, so that a late or repeated one never moves a message back.
 */
@Repository
public class DeliveryStates {

    /** Our error code for a send whose outcome no answer and no status settled by its deadline. */
    static final String OUTCOME_UNKNOWN = UpstreamFailure.OUTCOME_UNKNOWN.code();

    private final JdbcClient db;
    private final MessageRows rows;
    private final Messages messages;
    private final Statuses statuses;
    private final PendingStatuses pending;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final AsyncCommit asyncCommit;

    DeliveryStates(
            JdbcClient db,
            MessageRows rows,
            Messages messages,
            Statuses statuses,
            PendingStatuses pending,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            AsyncCommit asyncCommit) {
        this.db = db;
        this.rows = rows;
        this.messages = messages;
        this.statuses = statuses;
        this.pending = pending;
        this.events = events;
        this.transaction = transaction;
        this.asyncCommit = asyncCommit;
    }

    /**
     * Meta took the message: record its wamid and answer (a status webhook may already have moved it on). One
     * statement also tells whether statuses for it were kept before the wamid was known (rare: then they apply).
     * A message that became {@code accepted} has no error; one that a status webhook already moved on keeps its
     * status and error (Meta's {@code failed} included); one we had presumed failed ({@code outcome_unknown},
     * its call outlived its lease) was in fact sent: it becomes {@code accepted}, and the org gets that status.
     */
    public Message markAccepted(String orgId, String id, String wamid, JsonNode response) {
        // a commit that does not wait for the disk: lost only if the database server itself crashes within
        // 3 x wal_writer_delay, which leaves the message sending under its lease, as a crash just before this write
        // would
        return asyncCommit.run(() -> recordAccepted(orgId, id, wamid, response));
    }

    private Message recordAccepted(String orgId, String id, String wamid, JsonNode response) {
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
                .param("response", rows.jsonb(response))
                .query((rs, row) -> new Accepted(rows.mapRow(rs, row), rs.getBoolean("has_pending_statuses")))
                .single();
        Message m = accepted.message();
        if (m.status() == MessageStatus.FAILED && OUTCOME_UNKNOWN.equals(m.errorCode())) {
            m = acceptPresumedFailure(orgId, id);
        }
        return accepted.pendingStatuses() ? applyPending(m) : m;
    }

    /** Applies, in status order, the statuses kept for this message before its wamid was known. */
    Message applyPending(Message m) {
        if (!pending.any(m.orgId(), m.wamid(), m.id())) {
            return m;
        }
        return transaction.execute(tx -> {
            statuses.applyStatuses(m.orgId(), pending.takeFor(m.orgId(), m.wamid(), m.id()));
            return messages.find(m.orgId(), m.id()).orElseThrow();
        });
    }

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
                .query(rows)
                .optional()
                .map(m -> {
                    events.publishEvent(new MessageStatusChanged(m));
                    return m;
                })
                .orElseGet(() -> messages.find(orgId, id).orElseThrow()));
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
                .query(rows)
                .optional()
                .map(failed -> {
                    events.publishEvent(new MessageStatusChanged(failed)); // e.g. a queued send out of retries
                    return failed;
                })
                .orElseGet(() -> messages.find(orgId, id).orElseThrow()));
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
                .query(rows)
                .optional()
                .orElseGet(() -> messages.find(orgId, id).orElseThrow());
    }

    /**
     * A message marked {@code sending} whose request never left (its sender was held up too long after its mark, or
     * the request failed before the HTTP client had its body): queued again, due now, only while it is still
     * {@code sending} under that sender's own lease ({@code lease}, as its mark set it): a message another node has
     * taken since (after the lease ran out) is left to that node. Answers the message as it is now.
     */
    public Message markQueuedUncalled(String orgId, String id, Instant lease) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'queued', next_attempt_at = now(), lease_until = NULL, updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'sending' AND lease_until = :lease
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("lease", lease == null ? null : Timestamp.from(lease))
                .query(rows)
                .optional()
                .orElseGet(() -> messages.find(orgId, id).orElseThrow());
    }

    /**
     * A send that may have left: only Meta's status webhook (or the deadline) settles it. The message carries this
     * attempt's facts only: Meta's code from an earlier attempt (a 503 before this retry) is cleared.
     */
    public Message markUnknown(String orgId, String id, Instant deadline, String text) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'unknown', lease_until = :deadline, error_message = :text,
                               upstream_code = NULL, unknown_at = now(), sender_stopped = false, updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'sending'
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("deadline", Timestamp.from(deadline))
                .param("text", text)
                .query(rows)
                .optional()
                .orElseGet(() -> messages.find(orgId, id).orElseThrow());
    }

    /**
     * Messages whose sender stopped (lease over while {@code sending}: the node died, or was held up and did not
     * call) become {@code unknown}: the request may have left (the sender died during the call) or not (between its
     * durable mark and its request leaving). They wait for Meta's status webhook, which settles the ones Meta has,
     * for at least {@code unknownDeadline} and at least twice as long as the sender has been gone (Meta retries the
     * webhooks a stopped gateway missed, with growing pauses), then {@link #settleExpiredUnknowns} sends the rest
     * again. Answers how many.
     */
    public int expireSendingLeases(Duration unknownDeadline, int limit) {
        return db.sql("""
                        UPDATE messages m
                           SET status = 'unknown', sender_stopped = true,
                               lease_until = now() + greatest(:deadline * interval '1 millisecond',
                                                              2 * (now() - coalesce(m.attempted_at, m.updated_at))),
                               error_message = 'the gateway stopped while the Cloud API was being called',
                               upstream_code = NULL, unknown_at = now(), updated_at = now()
                          FROM (SELECT q.org_id, q.id FROM messages q
                                 WHERE q.status = 'sending' AND q.lease_until < now()
                                 LIMIT :limit
                                   -- a row another transaction holds (a stalled node's) waits for the next sweep,
                                   -- never the sweep of every other row
                                   FOR UPDATE SKIP LOCKED) expired
                         WHERE m.org_id = expired.org_id AND m.id = expired.id
                        """)
                .param("deadline", unknownDeadline.toMillis())
                .param("limit", limit)
                .update();
    }

    /** What {@link #settleExpiredUnknowns} did: unknowns presumed failed, and those sent again. */
    public record Settled(List<Message> failed, int queuedAgain) {}

    /**
     * Unknown outcomes that no status webhook settled by their deadline. One whose sender saw its call end without
     * an answer (the request left: Meta may have it) is presumed failed ({@code outcome_unknown}); each change and
     * its {@link MessageStatusChanged} (the org's {@code message.status} event) commit together or not at all. One
     * whose sender stopped goes back to the queue, due now: no status came for it, so Meta never took it (the
     * request did not leave, or Meta refused it), and it is sent again rather than lost.
     */
    public Settled settleExpiredUnknowns(int limit) {
        int queuedAgain = db.sql("""
                        UPDATE messages m
                           SET status = 'queued', sender_stopped = false, next_attempt_at = now(), lease_until = NULL,
                               error_message = 'sent again: its sender stopped and Meta sent no status for it',
                               updated_at = now()
                          FROM (SELECT org_id, id FROM messages
                                 WHERE status = 'unknown' AND sender_stopped AND lease_until < now()
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) unseen
                         WHERE m.org_id = unseen.org_id AND m.id = unseen.id
                        """).param("limit", limit).update();
        List<Message> failed = transaction.execute(tx -> {
            List<Message> presumed =
                    db.sql("""
                            UPDATE messages m
                               SET status = 'failed', error_code = 'outcome_unknown', lease_until = NULL,
                                   error_message = 'no answer and no status from the Cloud API before the deadline',
                                   upstream_code = NULL, updated_at = now()
                              FROM (SELECT org_id, id FROM messages
                                     WHERE status = 'unknown' AND NOT sender_stopped AND lease_until < now()
                                     LIMIT :limit
                                       FOR UPDATE SKIP LOCKED) expired
                             WHERE m.org_id = expired.org_id AND m.id = expired.id
                            RETURNING m.*
                            """).param("limit", limit).query(rows).list();
            if (!presumed.isEmpty()) {
                events.publishEvent(new MessageStatusChanged(presumed));
            }
            return presumed;
        });
        return new Settled(failed, queuedAgain);
    }
}
