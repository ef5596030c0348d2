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
import tools.jackson.databind.node.ObjectNode;

/** Customers' messages, stored once per wamid as Meta's webhooks bring them. */
@Repository
public class InboundMessages {

    /** What an inbound message is stored with. */
    /** {@code channelId}: the org's number it came in on. */
    public record NewInbound(
            String orgId,
            String channelId,
            String customerId,
            String wamid,
            String kind,
            JsonNode content,
            Instant at) {}

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
     * A message of ours that it answers ({@code context.id}: a tap on a button, a quoted reply) or reacts to
     * ({@code reaction.message_id}) is named by our id beside Meta's wamid: {@code context.messageId},
     * {@code reaction.messageId}. Answers the stored message, or empty when it was already there.
     */
    public Optional<Message> insertInbound(NewInbound m, String newId, String newSessionId) {
        JsonNode content = withOurIds(m.orgId(), m.content());
        return db.sql("""
                        INSERT INTO messages (org_id, id, channel_id, customer_id, session_id, message_type, kind,
                                              content, status, wamid, created_at)
                        VALUES (:orgId, :id, :channelId, :customerId,
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
                .param("channelId", m.channelId())
                .param("customerId", m.customerId())
                .param("newSessionId", newSessionId)
                .param("kind", m.kind())
                .param("content", rows.jsonb(content))
                .param("wamid", m.wamid())
                .param("at", Timestamp.from(m.at()))
                .query(rows)
                .optional()
                .map(stored -> {
                    media.received(stored.orgId(), stored.channelId(), stored.id(), stored.kind(), stored.content());
                    events.publishEvent(new MessageReceived(stored));
                    return stored;
                });
    }

    /**
     * The message as Meta sent it, with our id of the message it answers or reacts to (the org's own message of that
     * wamid). A {@code messageId} in what came in is never kept: only the gateway writes that field.
     */
    private JsonNode withOurIds(String orgId, JsonNode content) {
        boolean hasContext = content.path("context").isObject();
        boolean hasReaction = content.path("reaction").isObject();
        if (!hasContext && !hasReaction) {
            return content;
        }
        ObjectNode copy = (ObjectNode) content.deepCopy();
        for (String field : new String[] {"context", "reaction"}) {
            if (!copy.path(field).isObject()) {
                continue;
            }
            ObjectNode named = (ObjectNode) copy.get(field);
            named.remove("messageId");
            String wamid =
                    named.path(field.equals("context") ? "id" : "message_id").asString(null);
            if (wamid != null) {
                idOf(orgId, wamid).ifPresent(id -> named.put("messageId", id));
            }
        }
        return copy;
    }

    private Optional<String> idOf(String orgId, String wamid) {
        return db.sql("SELECT id FROM messages WHERE org_id = :orgId AND wamid = :wamid")
                .param("orgId", orgId)
                .param("wamid", wamid)
                .query(String.class)
                .optional();
    }

    /** Records that Meta was told the customer's message was read (the first time counts). */
    public void markedRead(String orgId, String id) {
        db.sql("""
                        UPDATE messages SET marked_read_at = coalesce(marked_read_at, now())
                         WHERE org_id = :orgId AND id = :id AND message_type = 'user'
                        """).param("orgId", orgId).param("id", id).update();
    }
}
