package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.store.DeliveryStates;
import com.replyhero.whatsapp.messages.store.MessageRows;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * The recipients of broadcasts: one {@code queued} message per customer, with the broadcast's id, which the
 * broadcast's paced dispatcher claims, marks {@code sending} and hands to {@link MessageDelivery}.
 */
@Repository
public class BroadcastRecipients {

    /** What every recipient message of a broadcast is stored with. */
    /** {@code channelId}: the number they are sent from; {@code sendAt}: not before then (null: now). */
    public record Recipients(
            String orgId,
            String broadcastId,
            String channelId,
            String userId,
            String sessionId,
            JsonNode content,
            boolean priority,
            Instant sendAt) {}

    /** The error code of a recipient who opted out before its turn came. */
    public static final String OPTED_OUT = "customer_opted_out";

    private final JdbcClient db;
    private final MessageRows rows;
    private final Customers customers;
    private final DeliveryStates states;

    BroadcastRecipients(JdbcClient db, MessageRows rows, Customers customers, DeliveryStates states) {
        this.db = db;
        this.rows = rows;
        this.customers = customers;
        this.states = states;
    }

    /** The id of a broadcast's {@code n}th recipient message (from 1), as {@link #queue} numbers them. */
    public static String recipientId(String broadcastId, int n) {
        return broadcastId + String.format("%08d", n);
    }

    /**
     * Queues one message per customer, in the caller's transaction; answers how many. Their ids are the
     * broadcast's followed by their number, counting on from the {@code numbered} queued before them.
     * Recipients of small, synchronous sends ({@code priority}) go ahead of a running broadcast's queue.
     */
    public int queue(Recipients r, List<String> customerIds, int numbered) {
        return queue(r, customerIds, null, numbered);
    }

    /**
     * {@link #queue}, each recipient with its own content ({@code contents}, in the order of {@code customerIds}; null:
     * the broadcast's content for all).
     */
    public int queue(Recipients r, List<String> customerIds, List<JsonNode> contents, int numbered) {
        return db.sql("""
                        INSERT INTO messages (org_id, id, channel_id, customer_id, user_id, session_id, message_type,
                                              kind, content, status, next_attempt_at, broadcast_id)
                        SELECT :orgId, :id || lpad((:numbered + r.n)::text, 8, '0'), :channelId, r.customer_id, :userId,
                               :sessionId, 'template', 'template', coalesce(r.content, :content)::jsonb, 'queued',
                               CASE WHEN CAST(:sendAt AS timestamptz) IS NOT NULL THEN CAST(:sendAt AS timestamptz)
                                    WHEN :priority THEN now() - interval '1 day' ELSE now() END, :id
                          FROM unnest(:customerIds::text[], :contents::text[]) WITH ORDINALITY AS r (customer_id, content, n)
                        """)
                .param("orgId", r.orgId())
                .param("id", r.broadcastId())
                .param("channelId", r.channelId())
                .param("numbered", numbered)
                .param("userId", r.userId())
                .param("sessionId", r.sessionId())
                .param("content", rows.jsonb(r.content()))
                .param("priority", r.priority())
                .param("sendAt", r.sendAt() == null ? null : Timestamp.from(r.sendAt()))
                .param("customerIds", customerIds.toArray(String[]::new))
                .param(
                        "contents",
                        contents == null
                                ? new String[customerIds.size()]
                                : contents.stream().map(rows::jsonb).toArray(String[]::new))
                .update();
    }

    /**
     * Claims up to {@code limit} due recipients of the org's running broadcasts {@code broadcastIds} from the channel
     * {@code channelId} (and, when
     * {@code isDefault}, those stored without one: see V20) (oldest first) for this node: they stay
     * {@code queued} but leased, so no other node takes them, and a node that dies before calling the Cloud
     * API for one leaves it to be claimed again when the lease runs out (it was provably not sent).
     */
    public List<Claim> claimDue(
            String orgId, String channelId, boolean isDefault, List<String> broadcastIds, int limit, Duration lease) {
        if (broadcastIds.isEmpty()) {
            return List.of();
        }
        List<Claim> claimed = db.sql("""
                        UPDATE messages m
                           SET lease_until = now() + :lease * interval '1 millisecond'
                          FROM (SELECT org_id, id FROM messages
                                 WHERE org_id = :orgId AND status = 'queued' AND broadcast_id IS NOT NULL
                                   AND broadcast_id = ANY (:broadcastIds)
                                   AND (channel_id = :channelId OR (channel_id IS NULL AND :isDefault))
                                   AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                                 ORDER BY next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) due
                         WHERE m.org_id = due.org_id AND m.id = due.id
                        RETURNING m.*
                        """)
                .param("orgId", orgId)
                .param("channelId", channelId)
                .param("isDefault", isDefault)
                .param("broadcastIds", broadcastIds.toArray(String[]::new))
                .param("limit", limit)
                .param("lease", lease.toMillis())
                .query((rs, row) ->
                        new Claim(rows.mapRow(rs, row), null, rs.getObject("lease_until", OffsetDateTime.class)))
                .list();
        if (claimed.isEmpty()) {
            return claimed;
        }
        Map<String, Customers.Reach> reach = customers.reach(
                orgId, claimed.stream().map(c -> c.message().customerId()).toList());
        List<Claim> sendable = new java.util.ArrayList<>();
        for (Claim c : claimed) {
            Customers.Reach customer = reach.get(c.message().customerId());
            if (customer == null) {
                continue; // a message's customer is never deleted: a recipient without a number is never the case
            }
            if (customer.optedOut()) {
                // opted out after the broadcast was made (or while it was scheduled or paused): never sent
                states.markFailed(
                        orgId,
                        c.message().id(),
                        OPTED_OUT,
                        null,
                        "the customer opted out after the broadcast was created; not sent");
                continue;
            }
            sendable.add(new Claim(c.message(), customer.phone(), c.leaseUntil()));
        }
        return sendable;
    }

    /**
     * Marks a claimed broadcast recipient {@code sending} just before its Cloud API call (committed first: from
     * here on the call may have left, so a crash makes it {@code unknown}: settled by Meta's status, or sent again
     * when none comes). Empty when it is no longer queued, or held: its broadcast was paused or cancelled after the
     * claim (the pause's update and this one meet on the row, so nothing is marked after a pause commits); or when
     * the customer opted out since the claim (the claim after its lease fails it {@code customer_opted_out}).
     */
    public Optional<Message> markSending(String orgId, String id, Duration lease) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'sending', attempts = attempts + 1, attempted_at = now(),
                               lease_until = now() + :lease * interval '1 millisecond', updated_at = now()
                         WHERE org_id = :orgId AND id = :id AND status = 'queued' AND next_attempt_at IS NOT NULL
                        """ + "   AND " + Customers.notOptedOut("messages.org_id", "messages.customer_id") + """

                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("lease", lease.toMillis())
                .query(rows)
                .optional();
    }

    /**
     * The broadcast was paused: its unsent recipients are held (no longer due, and not to be marked sending even if a
     * node claimed them already). Answers how many.
     */
    public int hold(String orgId, String broadcastId) {
        return db.sql("""
                        UPDATE messages SET next_attempt_at = NULL
                         WHERE org_id = :orgId AND broadcast_id = :id AND status = 'queued'
                           AND next_attempt_at IS NOT NULL
                        """).param("orgId", orgId).param("id", broadcastId).update();
    }

    /** The broadcast was resumed: its held recipients are due again (at {@code at}: now, or its sendAt). */
    public int release(String orgId, String broadcastId, Instant at) {
        return db.sql("""
                        UPDATE messages SET next_attempt_at = greatest(now(), :at)
                         WHERE org_id = :orgId AND broadcast_id = :id AND status = 'queued' AND next_attempt_at IS NULL
                        """)
                .param("orgId", orgId)
                .param("id", broadcastId)
                .param("at", Timestamp.from(at))
                .update();
    }

    /**
     * The broadcast was cancelled: its recipients not sent (queued, held or waiting for a retry) become
     * {@code cancelled}, never sent. Those being sent or unknown settle as they would. Answers how many.
     */
    public int cancelUnsent(String orgId, String broadcastId) {
        return db.sql("""
                        UPDATE messages
                           SET status = 'cancelled', next_attempt_at = NULL, lease_until = NULL, updated_at = now()
                         WHERE org_id = :orgId AND broadcast_id = :id AND status = 'queued'
                        """).param("orgId", orgId).param("id", broadcastId).update();
    }

    /** Gives a claimed, not yet sent broadcast recipient back, to be claimed again (with a new slot) at once. */
    public void releaseClaim(String orgId, String id) {
        db.sql("""
                        UPDATE messages SET lease_until = NULL
                         WHERE org_id = :orgId AND id = :id AND status = 'queued'
                        """).param("orgId", orgId).param("id", id).update();
    }

    /** A claimed recipient that cannot be sent (e.g. the org has no channel) fails with our code and text. */
    public Message markFailed(String orgId, String id, String code, String text) {
        return states.markFailed(orgId, id, code, null, text);
    }

    /**
     * The recipients of one broadcast ({@code :orgId}, {@code :id}), each with whether they replied: wrote in (a
     * {@code user} message of theirs) within 24 hours after their message was sent (Meta took it). One definition for
     * the report's counts and its lines.
     */
    private static final String REPORTED_RECIPIENTS = """
            WITH recipients AS (
                SELECT m.*,
                       (m.status IN ('accepted', 'sent', 'delivered', 'read') AND m.attempted_at IS NOT NULL
                        AND EXISTS (SELECT 1 FROM messages r
                                     WHERE r.org_id = m.org_id AND r.customer_id = m.customer_id
                                       AND r.message_type = 'user' AND r.created_at > m.attempted_at
                                       AND r.created_at <= m.attempted_at + interval '24 hours')) AS replied
                  FROM messages m
                 WHERE m.org_id = :orgId AND m.broadcast_id = :id
            )
            """;

    /**
     * A broadcast's outcome: how many recipients are sent (Meta accepted, or later), delivered, read, failed (by Meta's
     * error code, or the gateway's code when Meta gave none), cancelled, pending, unknown, how many replied (wrote in
     * within 24 hours after their message was sent), and how many were sent in each of Meta's cost categories (from the
     * {@code pricing} of its status webhooks; {@code unknown} when none came).
     */
    public record Outcome(
            long total,
            long sent,
            long delivered,
            long read,
            long failed,
            long cancelled,
            long pending,
            long unknown,
            long replied,
            Map<String, Long> failedByCode,
            Map<String, Long> sentByPricingCategory) {}

    public Outcome outcome(String orgId, String broadcastId) {
        Map<String, Long> byCode = counts(orgId, broadcastId, """
                SELECT coalesce(upstream_code::text, error_code, 'unknown') AS key, count(*) AS n
                  FROM messages
                 WHERE org_id = :orgId AND broadcast_id = :id AND status = 'failed'
                 GROUP BY 1 ORDER BY 2 DESC, 1
                """);
        Map<String, Long> byCategory = counts(orgId, broadcastId, """
                SELECT coalesce(pricing_category, 'unknown') AS key, count(*) AS n
                  FROM messages
                 WHERE org_id = :orgId AND broadcast_id = :id AND status IN ('accepted', 'sent', 'delivered', 'read')
                 GROUP BY 1 ORDER BY 2 DESC, 1
                """);
        return db.sql(REPORTED_RECIPIENTS + """
                        SELECT count(*) AS total,
                               count(*) FILTER (WHERE status IN ('accepted', 'sent', 'delivered', 'read')) AS sent,
                               count(*) FILTER (WHERE status IN ('delivered', 'read')) AS delivered,
                               count(*) FILTER (WHERE status = 'read') AS read,
                               count(*) FILTER (WHERE status = 'failed') AS failed,
                               count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                               count(*) FILTER (WHERE status IN ('queued', 'sending')) AS pending,
                               count(*) FILTER (WHERE status = 'unknown') AS unknown,
                               count(*) FILTER (WHERE replied) AS replied
                          FROM recipients
                        """)
                .param("orgId", orgId)
                .param("id", broadcastId)
                .query((rs, row) -> new Outcome(
                        rs.getLong("total"),
                        rs.getLong("sent"),
                        rs.getLong("delivered"),
                        rs.getLong("read"),
                        rs.getLong("failed"),
                        rs.getLong("cancelled"),
                        rs.getLong("pending"),
                        rs.getLong("unknown"),
                        rs.getLong("replied"),
                        byCode,
                        byCategory))
                .single();
    }

    private Map<String, Long> counts(String orgId, String broadcastId, String sql) {
        return db
                .sql(sql)
                .param("orgId", orgId)
                .param("id", broadcastId)
                .query((rs, row) -> Map.entry(rs.getString("key"), rs.getLong("n")))
                .list()
                .stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.LinkedHashMap::new));
    }

    /** One recipient of a broadcast in its report: its message, whether they replied, its cost category. */
    public record ReportLine(Message message, boolean replied, String pricingCategory) {}

    /** A page of a broadcast's report lines, by message id after {@code cursor}. */
    public List<ReportLine> reportLines(String orgId, String broadcastId, String cursor, int limit) {
        return db.sql(REPORTED_RECIPIENTS + """
                        SELECT * FROM recipients
                         WHERE (:cursor::text IS NULL OR id > :cursor)
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("id", broadcastId)
                .param("cursor", cursor)
                .param("limit", limit)
                .query((rs, row) -> new ReportLine(
                        rows.mapRow(rs, row), rs.getBoolean("replied"), rs.getString("pricing_category")))
                .list();
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
                .query(rows)
                .list();
    }

    /**
     * Counts of the broadcast's recipients per message status, and ({@code attempted_recently}) how many were
     * attempted in the last {@code windowSeconds}.
     */
    public Map<String, Long> statusCounts(String orgId, String broadcastId, int windowSeconds) {
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
                .param("id", broadcastId)
                .param("window", windowSeconds)
                .query((rs, row) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum));
    }

    /** How many of the broadcast's recipients wait to be sent now or are being sent. */
    public int dueOrSending(String orgId, String broadcastId) {
        return db.sql("""
                        SELECT count(*) FROM messages
                         WHERE org_id = :orgId AND broadcast_id = :id
                           AND (status = 'sending' OR (status = 'queued' AND next_attempt_at <= now())
                                -- a call under way whose status webhook came before its answer
                                OR (status NOT IN ('queued', 'unknown') AND lease_until > now()))
                        """)
                .param("orgId", orgId)
                .param("id", broadcastId)
                .query(Integer.class)
                .single();
    }

    /**
     * Those of the org's broadcasts none of whose recipients is still queued, being sent or unknown. Once so, a
     * broadcast stays so: no recipient goes back to these states from an outcome, and none is added later.
     */
    public List<String> finished(String orgId, Collection<String> broadcastIds) {
        return db.sql("""
                        SELECT b.id FROM unnest(:ids::text[]) AS b (id)
                         WHERE NOT EXISTS (SELECT 1 FROM messages m
                                            WHERE m.org_id = :orgId AND m.broadcast_id = b.id
                                              AND m.status IN ('queued', 'sending', 'unknown'))
                        """)
                .param("orgId", orgId)
                .param("ids", broadcastIds.toArray(String[]::new))
                .query(String.class)
                .list();
    }
}
