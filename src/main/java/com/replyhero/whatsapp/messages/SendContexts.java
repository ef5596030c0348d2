package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.orgs.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Everything a send needs to know about its org, user and customer, in one round trip. */
@Repository
class SendContexts {

    /** customerPhone is null when the org has no such customer; channel null when it has none. */
    record SendContext(
            ZoneId zone, Channel channel, String customerPhone, Instant customerLastInboundAt, boolean userExists) {}

    /** The context, and the message stored as {@code sending} when every check passed (else null). */
    record Stored(SendContext context, Message message) {}

    // the org, its channel, the customer and whether the user is the org's; ctx_ names never meet messages'
    private static final String CONTEXT = """
            SELECT o.time_zone AS ctx_time_zone, ch.phone_number_id AS ctx_phone_number_id,
                   ch.waba_id AS ctx_waba_id, ch.access_token AS ctx_access_token,
                   ch.throughput_per_second AS ctx_throughput_per_second,
                   c.phone AS ctx_phone, c.last_inbound_at AS ctx_last_inbound_at,
                   EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id AND u.id = :userId) AS ctx_user_exists
              FROM orgs o
              LEFT JOIN channels ch ON ch.org_id = o.id
              LEFT JOIN customers c ON c.org_id = o.id AND c.id = :customerId
             WHERE o.id = :orgId
            """;

    private final JdbcClient db;
    private final Messages messages;

    SendContexts(JdbcClient db, Messages messages) {
        this.db = db;
        this.messages = messages;
    }

    Optional<SendContext> find(String orgId, String userId, String customerId) {
        return db.sql(CONTEXT)
                .param("orgId", orgId)
                .param("userId", userId)
                .param("customerId", customerId)
                .query((rs, row) -> context(orgId, rs))
                .optional();
    }

    /**
     * The context and, when the user and the customer are the org's, the org has a channel and the customer wrote
     * within 24 hours, the message stored as {@code sending} (leased for {@code lease}): one statement, one round
     * trip. Empty when there is no such org. For sends with nothing to do between the checks and the insert
     * (no media to upload, no Idempotency-Key to look up).
     */
    Optional<Stored> findAndStore(Messages.NewOutbound m, Duration lease) {
        return messages.bindSending(db.sql("WITH context AS (" + CONTEXT + """
                        ), stored AS (
                            INSERT INTO messages (org_id, id, customer_id, user_id, session_id, message_type, kind,
                                                  content, status, idempotency_key, request_hash, attempts, lease_until)
                            SELECT :orgId, :id, :customerId, :userId, :sessionId, :messageType, :kind, :content::jsonb,
                                   'sending', :idempotencyKey, :requestHash, 1,
                                   now() + :lease * interval '1 millisecond'
                              FROM context
                             WHERE ctx_user_exists AND ctx_phone IS NOT NULL AND ctx_phone_number_id IS NOT NULL
                               AND ctx_last_inbound_at > now() - interval '24 hours'
                            RETURNING *
                        )
                        SELECT context.*, stored.* FROM context LEFT JOIN stored ON true
                        """), m, lease)
                .query((rs, row) -> new Stored(
                        context(m.orgId(), rs), rs.getString("id") == null ? null : messages.message(rs, row)))
                .optional();
    }

    private static SendContext context(String orgId, ResultSet rs) throws SQLException {
        String phoneNumberId = rs.getString("ctx_phone_number_id");
        Timestamp lastInbound = rs.getTimestamp("ctx_last_inbound_at");
        return new SendContext(
                ZoneId.of(rs.getString("ctx_time_zone")),
                phoneNumberId == null
                        ? null
                        : new Channel(
                                orgId,
                                phoneNumberId,
                                rs.getString("ctx_waba_id"),
                                rs.getString("ctx_access_token"),
                                rs.getInt("ctx_throughput_per_second")),
                rs.getString("ctx_phone"),
                lastInbound == null ? null : lastInbound.toInstant(),
                rs.getBoolean("ctx_user_exists"));
    }
}
