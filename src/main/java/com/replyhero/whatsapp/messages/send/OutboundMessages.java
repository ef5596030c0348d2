package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.store.MessageRows;
import com.replyhero.whatsapp.orgs.Channel;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * Outbound messages stored as {@code sending} before the Cloud API is called: after the send's checks, or with
 * them in the same statement; and what those checks read of the org, its channel and the user.
 */
@Repository
class OutboundMessages {

    /** What an outbound message is stored with before the Cloud API is called. */
    /** {@code channelId}: the channel it goes out from (null in a statement that reads it from the context). */
    record NewOutbound(
            String orgId,
            String id,
            String channelId,
            String customerId,
            String userId,
            String sessionId,
            String messageType,
            String kind,
            JsonNode content,
            String idempotencyKey,
            byte[] requestHash) {}

    /**
     * customerPhone is null when the org has no such customer; channel null when it has none of the id asked (or no
     * default when none was); windowOpen: the customer wrote to that channel's number within 24 hours, by the
     * database's clock ({@link Customers#windowOpen}).
     */
    record SendContext(ZoneId zone, Channel channel, String customerPhone, boolean windowOpen, boolean userExists) {}

    /** The context, and the message stored as {@code sending} when every check passed (else null). */
    record Stored(SendContext context, Message message) {}

    // the org, the channel (:channelId, or the default when it is null), the customer, the customer's window on that
    // channel's number and whether the user is the org's; ctx_ names never meet messages'
    private static final String CONTEXT = """
            SELECT o.time_zone AS ctx_time_zone, ch.id AS ctx_channel_id, ch.phone_number_id AS ctx_phone_number_id,
                   ch.waba_id AS ctx_waba_id, ch.access_token AS ctx_access_token,
                   ch.throughput_per_second AS ctx_throughput_per_second, ch.name AS ctx_channel_name,
                   ch.is_default AS ctx_channel_is_default,
                   c.phone AS ctx_customer_phone, """ + Customers.windowOpen("w") + """
                    AS ctx_window_open,
                   EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id AND u.id = :userId) AS ctx_user_exists
              FROM orgs o
              LEFT JOIN channels ch ON ch.org_id = o.id
                    AND (ch.id = :channelId OR (CAST(:channelId AS text) IS NULL AND ch.is_default))
            """ + Customers.joinCustomer("c", "o.id")
            + "\n" + Customers.joinWindow("w", "o.id", "ch.id") + """

             WHERE o.id = :orgId
            """;

    private final JdbcClient db;
    private final MessageRows rows;

    OutboundMessages(JdbcClient db, MessageRows rows) {
        this.db = db;
        this.rows = rows;
    }

    /**
     * The context of a send by {@code userId} to {@code customerId} from the channel {@code channelId} (null: the
     * default); empty: no such org.
     */
    Optional<SendContext> context(String orgId, String userId, String customerId, String channelId) {
        return db.sql(CONTEXT)
                .param("orgId", orgId)
                .param("userId", userId)
                .param("customerId", customerId)
                .param("channelId", channelId)
                .query((rs, row) -> context(orgId, rs))
                .optional();
    }

    /**
     * The context and, when the user and the customer are the org's, the org has a channel and the customer's
     * window is open, the message stored as {@code sending} (leased for {@code lease}): one statement, one round
     * trip. Empty when there is no such org. For sends with nothing to do between the checks and the insert
     * (no media to upload, no Idempotency-Key to look up).
     */
    Optional<Stored> checkAndStore(NewOutbound m, Duration lease) {
        return bindSending(db.sql("WITH context AS (" + CONTEXT + """
                        ), stored AS (
                            INSERT INTO messages (org_id, id, channel_id, customer_id, user_id, session_id,
                                                  message_type, kind, content, status, idempotency_key, request_hash,
                                                  attempts, lease_until)
                            SELECT :orgId, :id, ctx_channel_id, :customerId, :userId, :sessionId, :messageType, :kind,
                                   :content::jsonb, 'sending', :idempotencyKey, :requestHash, 1,
                                   now() + :lease * interval '1 millisecond'
                              FROM context
                             WHERE ctx_user_exists AND ctx_customer_phone IS NOT NULL
                               AND ctx_phone_number_id IS NOT NULL
                               AND ctx_window_open
                            RETURNING *
                        )
                        SELECT context.*, stored.* FROM context LEFT JOIN stored ON true
                        """), m, lease)
                .query((rs, row) ->
                        new Stored(context(m.orgId(), rs), rs.getString("id") == null ? null : rows.mapRow(rs, row)))
                .optional();
    }

    /** Stores an outbound message as {@code sending}, leased for {@code lease} (a crash then makes it unknown). */
    Message store(NewOutbound m, Duration lease) {
        return bindSending(db.sql("""
                        INSERT INTO messages (org_id, id, channel_id, customer_id, user_id, session_id, message_type,
                                              kind, content, status, idempotency_key, request_hash, attempts,
                                              lease_until)
                        VALUES (:orgId, :id, :channelId, :customerId, :userId, :sessionId, :messageType, :kind,
                                :content::jsonb, 'sending', :idempotencyKey, :requestHash, 1,
                                now() + :lease * interval '1 millisecond')
                        RETURNING *
                        """), m, lease).query(rows).single();
    }

    /** The parameters of a new outbound message stored as {@code sending}: one binding for both statements. */
    private JdbcClient.StatementSpec bindSending(JdbcClient.StatementSpec spec, NewOutbound m, Duration lease) {
        return spec.param("orgId", m.orgId())
                .param("id", m.id())
                .param("channelId", m.channelId())
                .param("customerId", m.customerId())
                .param("userId", m.userId())
                .param("sessionId", m.sessionId())
                .param("messageType", m.messageType())
                .param("kind", m.kind())
                .param("content", rows.jsonb(m.content()))
                .param("idempotencyKey", m.idempotencyKey())
                .param("requestHash", m.requestHash())
                .param("lease", lease.toMillis());
    }

    private static SendContext context(String orgId, ResultSet rs) throws SQLException {
        String channelId = rs.getString("ctx_channel_id");
        return new SendContext(
                ZoneId.of(rs.getString("ctx_time_zone")),
                channelId == null
                        ? null
                        : new Channel(
                                orgId,
                                channelId,
                                rs.getString("ctx_phone_number_id"),
                                rs.getString("ctx_waba_id"),
                                rs.getString("ctx_access_token"),
                                rs.getInt("ctx_throughput_per_second"),
                                rs.getString("ctx_channel_name"),
                                rs.getBoolean("ctx_channel_is_default")),
                rs.getString("ctx_customer_phone"),
                rs.getBoolean("ctx_window_open"),
                rs.getBoolean("ctx_user_exists"));
    }
}
