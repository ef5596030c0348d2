package com.replyhero.whatsapp.messages.retryqueue;

import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.Claim;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.store.MessageRows;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The retry queue: messages answered 202 ({@code queued}, not of a broadcast) wait here for their next attempt,
 * which {@link OutboxDispatcher} makes. A claim only leases them; each is marked {@code sending} just before its
 * own call.
 */
@Repository
public class RetryQueue {

    private final JdbcClient db;
    private final MessageRows rows;
    private final Customers customers;

    RetryQueue(JdbcClient db, MessageRows rows, Customers customers) {
        this.db = db;
        this.rows = rows;
        this.customers = customers;
    }

    /**
     * Claims up to {@code limit} due messages of the retry queue for this node. They stay {@code queued}, leased
     * until {@link Claim#leaseUntil()} (another node skips them meanwhile): each is marked {@code sending} by
     * {@link #markSending(String, String, OffsetDateTime, Duration)} just before its own call, so a node that dies
     * before that call leaves it queued (provably not sent), to be claimed again when the lease runs out.
     */
    public List<Claim> claimDue(int limit, Duration lease) {
        List<Claimed> claimed = db.sql("""
                        UPDATE messages m
                           SET lease_until = now() + :lease * interval '1 millisecond'
                          FROM (SELECT q.org_id, q.id FROM messages q
                                 WHERE q.status = 'queued' AND q.next_attempt_at <= now() AND q.broadcast_id IS NULL
                                   AND (q.lease_until IS NULL OR q.lease_until < now())
                                 ORDER BY q.next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE OF q SKIP LOCKED) due
                         WHERE m.org_id = due.org_id AND m.id = due.id
                        RETURNING m.*
                        """)
                .param("limit", limit)
                .param("lease", lease.toMillis())
                .query((rs, row) ->
                        new Claimed(rows.mapRow(rs, row), rs.getObject("lease_until", OffsetDateTime.class)))
                .list();
        // the numbers they go to, per org (one claim may span orgs)
        Map<String, Map<String, String>> phones = new HashMap<>();
        claimed.stream()
                .collect(Collectors.groupingBy(
                        c -> c.message().orgId(),
                        Collectors.mapping(c -> c.message().customerId(), Collectors.toList())))
                .forEach((orgId, customerIds) -> phones.put(orgId, customers.phones(orgId, customerIds)));
        return claimed.stream()
                .map(c -> new Claim(
                        c.message(),
                        phones.get(c.message().orgId()).get(c.message().customerId()),
                        c.leaseUntil()))
                .toList();
    }

    private record Claimed(Message message, OffsetDateTime leaseUntil) {}

    /**
     * Marks a message of the retry queue {@code sending} just before its Cloud API call, if it is still queued and
     * still under this node's claim (the claim's lease unchanged: a claim that ran out and was taken by another
     * node is not ours to send). Committed first: from here on the call may have left, so a crash makes it
     * {@code unknown} (settled by Meta's status, or sent again when none comes). Empty when it is no longer ours.
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
                .query(rows)
                .optional();
    }

    /** Gives a claimed, not yet sent message of the retry queue back, if the claim is still this node's. */
    void releaseClaim(String orgId, String id, OffsetDateTime claimedUntil) {
        db.sql("""
                        UPDATE messages SET lease_until = NULL
                         WHERE org_id = :orgId AND id = :id AND status = 'queued' AND lease_until = :claimedUntil
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("claimedUntil", claimedUntil)
                .update();
    }
}
