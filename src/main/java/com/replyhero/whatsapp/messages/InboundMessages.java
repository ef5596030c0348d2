package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.media.InboundMedia;
import com.replyhero.whatsapp.messages.store.MessageRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/** Customers' messages, stored once per wamid as Meta's webhooks bring them. */
@Repository
public class InboundMessages {

    /** What an inbound message is stored with. */
    public record NewInbound(
            String orgId, String customerId, String wamid, String kind, JsonNode content, Instant at) {}

    private final JdbcClient db;
    private final MessageRows rows;
    private final InboundMedia media;
    private final ApplicationEventPublisher events;

    InboundMessages(JdbcClient db, MessageRows rows, InboundMedia media, ApplicationEventPublisher events) {
        this.db = db;
        this.rows = rows;
        this.media = media;
        this.events = events;
    }

    /**
     * Stores a customer's message once per wamid (Meta retries webhooks for days). It joins the customer's
     * active session, the session of their latest message within the window, else a new one. A medium it
     * carries is recorded for download, and {@link MessageReceived} published, in the caller's transaction.
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
                .param("content", rows.jsonb(m.content()))
                .param("wamid", m.wamid())
                .param("at", Timestamp.from(m.at()))
                .query(rows)
                .optional()
                .map(stored -> {
                    media.received(stored.orgId(), stored.id(), stored.kind(), stored.content());
                    events.publishEvent(new MessageReceived(stored));
                    return stored;
                });
    }

    /** Records that Meta was told the customer's message was read (the first time counts). */
    public void markedRead(String orgId, String id) {
        db.sql("""
                        UPDATE messages SET marked_read_at = coalesce(marked_read_at, now())
                         WHERE org_id = :orgId AND id = :id AND message_type = 'user'
                        """).param("orgId", orgId).param("id", id).update();
    }
}
