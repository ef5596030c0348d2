package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Events to an org's own backend. {@link #publish} writes the event into the durable queue in the caller's
 * transaction (so it exists exactly when the change it reports does); the dispatcher delivers it after the
 * commit, signed, at least once. An org without a webhook gets no events.
 */
@Component
public class OrgEvents {

    public static final String MESSAGE_RECEIVED = "message.received";
    public static final String MESSAGE_STATUS = "message.status";
    public static final String BROADCAST_COMPLETED = "broadcast.completed";
    /** A broadcast was paused (by the org, or by the gateway with its reason), resumed or cancelled. */
    public static final String BROADCAST_STATUS = "broadcast.status";

    public static final String TEMPLATE_STATUS = "template.status";
    /** Meta changed a number's quality rating or messaging limit tier. */
    public static final String NUMBER_QUALITY = "number.quality";

    private final JdbcClient db;
    private final JsonMapper json;
    private final EventDispatcher dispatcher;
    private final Duration retryFor;

    OrgEvents(JdbcClient db, JsonMapper json, EventDispatcher dispatcher, EventSettings settings) {
        this.db = db;
        this.json = json;
        this.dispatcher = dispatcher;
        this.retryFor = settings.retryFor();
    }

    /** An event's subject (keeps the events of one subject in order; may be null) and its data. */
    public record Subjected(String subject, JsonNode data) {}

    /** Whether the org has a webhook, i.e. whether {@link #publish} keeps its events. */
    public boolean hasWebhook(String orgId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM org_webhooks WHERE org_id = :orgId)")
                .param("orgId", orgId)
                .query(Boolean.class)
                .single();
    }

    /**
     * {@link #publish} of several events of one type at once, in one statement: in the caller's transaction, in the
     * order given. Answers how many were queued (none when the org has no webhook).
     */
    public int publishAll(String orgId, String type, List<Subjected> events) {
        if (events.isEmpty()) {
            return 0;
        }
        String timestamp = Instant.now().toString();
        int inserted = db.sql("""
                        INSERT INTO org_events (org_id, id, type, subject, payload, retry_until)
                        SELECT w.org_id, e.id, :type, e.subject, e.payload::jsonb,
                               now() + :retryFor * interval '1 millisecond'
                          FROM org_webhooks w
                         CROSS JOIN unnest(:ids::text[], :subjects::text[], :payloads::text[])
                               WITH ORDINALITY AS e(id, subject, payload, n)
                         WHERE w.org_id = :orgId
                         ORDER BY e.n
                        """)
                .param("orgId", orgId)
                .param("type", type)
                .param("ids", events.stream().map(e -> "msg_" + Ids.next()).toArray(String[]::new))
                .param("subjects", events.stream().map(Subjected::subject).toArray(String[]::new))
                .param(
                        "payloads",
                        events.stream()
                                .map(e -> json.writeValueAsString(body(type, timestamp, e.data())))
                                .toArray(String[]::new))
                .param("retryFor", retryFor.toMillis())
                .update();
        if (inserted > 0) {
            wakeAfterCommit();
        }
        return inserted;
    }

    /**
     * Queues {@code {"type", "timestamp", "data"}} for the org's webhook, inside the current transaction if
     * there is one. {@code subject} (e.g. a message or broadcast id, or null) keeps the events of one subject
     * in order. Answers the event's id ({@code webhook-id}), or empty when the org has no webhook.
     */
    public Optional<String> publish(String orgId, String type, String subject, JsonNode data) {
        String id = "msg_" + Ids.next();
        ObjectNode body = body(type, Instant.now().toString(), data);
        int inserted = db.sql("""
                        INSERT INTO org_events (org_id, id, type, subject, payload, retry_until)
                        SELECT org_id, :id, :type, :subject, :payload::jsonb,
                               now() + :retryFor * interval '1 millisecond'
                          FROM org_webhooks
                         WHERE org_id = :orgId
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("type", type)
                .param("subject", subject)
                .param("payload", json.writeValueAsString(body))
                .param("retryFor", retryFor.toMillis())
                .update();
        if (inserted == 0) {
            return Optional.empty();
        }
        wakeAfterCommit();
        return Optional.of(id);
    }

    private ObjectNode body(String type, String timestamp, JsonNode data) {
        ObjectNode body = json.createObjectNode();
        body.put("type", type);
        body.put("timestamp", timestamp);
        body.set("data", data);
        return body;
    }

    /** The dispatcher delivers new events once they are committed (at once outside a transaction). */
    private void wakeAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.wake();
                }
            });
        } else {
            dispatcher.wake();
        }
    }
}
