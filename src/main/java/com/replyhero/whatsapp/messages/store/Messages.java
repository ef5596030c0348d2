package com.replyhero.whatsapp.messages.store;

import com.replyhero.whatsapp.messages.Message;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Messages as stored, read back: one by id, by id or wamid, or by Idempotency-Key (the history pages are read in
 * {@code messages.history}). Every query is scoped by org. They are written by {@code send.OutboundMessages} and
 * {@code InboundMessages}; their delivery state changes in {@link DeliveryStates}, {@code Statuses},
 * {@code retryqueue.RetryQueue} and {@code BroadcastRecipients}.
 */
@Repository
public class Messages {

    private final JdbcClient db;
    private final MessageRows rows;

    Messages(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    public Optional<Message> find(String orgId, String id) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", id)
                .query(rows)
                .optional();
    }

    /** The org's message with this id, or else with this wamid (a reaction or a reply names either). */
    public Optional<Message> findByIdOrWamid(String orgId, String reference) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND (id = :reference OR wamid = :reference)"
                        + " ORDER BY id = :reference DESC LIMIT 1")
                .param("orgId", orgId)
                .param("reference", reference)
                .query(rows)
                .optional();
    }

    public Optional<Message> findByIdempotencyKey(String orgId, String key) {
        return db.sql("SELECT * FROM messages WHERE org_id = :orgId AND idempotency_key = :key")
                .param("orgId", orgId)
                .param("key", key)
                .query(rows)
                .optional();
    }
}
