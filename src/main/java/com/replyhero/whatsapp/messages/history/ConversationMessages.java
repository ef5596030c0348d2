package com.replyhero.whatsapp.messages.history;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.store.MessageRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * One customer's conversation as the console's inbox reads it: its messages, and per customer the latest message and
 * how many of the customer's messages came after a read mark. Every query is scoped by org.
 */
@Repository
public class ConversationMessages {

    /** Unread messages are counted up to this many (the inbox shows "99+"). */
    public static final int MAX_UNREAD = 100;

    private final JdbcClient db;
    private final MessageRows rows;

    ConversationMessages(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    /** A customer's conversation at a glance: their latest message (null when none) and how many are unread. */
    public record Summary(String customerId, Message latest, int unread) {}

    /** The customer's latest {@code limit} messages, oldest first (both directions, every kind). */
    public List<Message> latest(String orgId, String customerId, int limit) {
        List<Message> newestFirst = db.sql("""
                        SELECT * FROM messages
                         WHERE org_id = :orgId AND customer_id = :customerId
                         ORDER BY created_at DESC, id DESC
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("customerId", customerId)
                .param("limit", limit)
                .query(rows)
                .list();
        return new ArrayList<>(newestFirst).reversed();
    }

    /**
     * For each customer (by id, with the time up to which their messages were read, or null), the latest message and
     * the number of the customer's own messages ({@code user}) after the read mark, at most {@link #MAX_UNREAD}.
     */
    public Map<String, Summary> summaries(String orgId, Map<String, Instant> readUpTo) {
        Map<String, Summary> summaries = new LinkedHashMap<>();
        if (readUpTo.isEmpty()) {
            return summaries;
        }
        List<String> ids = new ArrayList<>(readUpTo.keySet());
        // ISO-8601 instants, read as timestamptz by the database: exact to the microsecond
        String[] marks = ids.stream()
                .map(id -> readUpTo.get(id) == null ? null : readUpTo.get(id).toString())
                .toArray(String[]::new);
        db.sql("""
                        SELECT latest.*, c.customer_id AS conversation,
                               (SELECT count(*) FROM (SELECT 1 FROM messages u
                                                       WHERE u.org_id = :orgId AND u.customer_id = c.customer_id
                                                         AND u.message_type = 'user'
                                                         AND (c.read_up_to IS NULL OR u.created_at > c.read_up_to)
                                                       LIMIT :maxUnread) AS counted) AS unread
                          FROM unnest(:ids::text[], :marks::timestamptz[]) AS c (customer_id, read_up_to)
                          LEFT JOIN LATERAL (SELECT * FROM messages m
                                              WHERE m.org_id = :orgId AND m.customer_id = c.customer_id
                                              ORDER BY m.created_at DESC, m.id DESC
                                              LIMIT 1) AS latest ON true
                        """)
                .param("orgId", orgId)
                .param("ids", ids.toArray(String[]::new))
                .param("marks", marks)
                .param("maxUnread", MAX_UNREAD)
                .query((rs, row) -> new Summary(
                        rs.getString("conversation"),
                        rs.getString("id") == null ? null : rows.mapRow(rs, row),
                        rs.getInt("unread")))
                .list()
                .forEach(s -> summaries.put(s.customerId(), s));
        return summaries;
    }
}
