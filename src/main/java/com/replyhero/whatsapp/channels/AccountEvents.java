package com.replyhero.whatsapp.channels;

import com.replyhero.whatsapp.Ids;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Meta's webhooks about an org's account and numbers ({@code phone_number_quality_update}, {@code account_update},
 * {@code account_alerts}) as they came: one row per org whose channel is on the account.
 */
@Repository
class AccountEvents {

    /** One webhook as the org sees it; {@code channelId} when it was about one of its numbers. */
    record AccountEvent(
            String id,
            String wabaId,
            String channelId,
            String field,
            String event,
            JsonNode value,
            Instant receivedAt) {}

    private final JdbcClient db;
    private final JsonMapper json;

    AccountEvents(JdbcClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    void record(String orgId, String wabaId, String channelId, String field, String event, JsonNode value) {
        db.sql("""
                        INSERT INTO account_events (org_id, id, waba_id, channel_id, field, event, value)
                        VALUES (:orgId, :id, :wabaId, :channelId, :field, :event, :value::jsonb)
                        """)
                .param("orgId", orgId)
                .param("id", Ids.next())
                .param("wabaId", wabaId)
                .param("channelId", channelId)
                .param("field", field)
                .param("event", event)
                .param("value", json.writeValueAsString(value))
                .update();
    }

    /** A page of the org's account events, newest first (ids grow with time), before the id {@code cursor}. */
    List<AccountEvent> latest(String orgId, String cursor, int limit) {
        return db.sql("""
                        SELECT * FROM account_events
                         WHERE org_id = :orgId AND (CAST(:cursor AS text) IS NULL OR id < :cursor)
                         ORDER BY id DESC
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("cursor", cursor)
                .param("limit", limit)
                .query((rs, row) -> new AccountEvent(
                        rs.getString("id"),
                        rs.getString("waba_id"),
                        rs.getString("channel_id"),
                        rs.getString("field"),
                        rs.getString("event"),
                        json.readTree(rs.getString("value")),
                        rs.getTimestamp("received_at").toInstant()))
                .list();
    }
}
