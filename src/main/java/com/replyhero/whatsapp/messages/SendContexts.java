package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.orgs.Channel;
import java.sql.Timestamp;
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

    private final JdbcClient db;

    SendContexts(JdbcClient db) {
        this.db = db;
    }

    Optional<SendContext> find(String orgId, String userId, String customerId) {
        return db.sql("""
                        SELECT o.time_zone, ch.phone_number_id, ch.waba_id, ch.access_token, ch.throughput_per_second,
                               c.phone, c.last_inbound_at,
                               EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id AND u.id = :userId) AS user_exists
                          FROM orgs o
                          LEFT JOIN channels ch ON ch.org_id = o.id
                          LEFT JOIN customers c ON c.org_id = o.id AND c.id = :customerId
                         WHERE o.id = :orgId
                        """)
                .param("orgId", orgId)
                .param("userId", userId)
                .param("customerId", customerId)
                .query((rs, row) -> {
                    String phoneNumberId = rs.getString("phone_number_id");
                    Timestamp lastInbound = rs.getTimestamp("last_inbound_at");
                    return new SendContext(
                            ZoneId.of(rs.getString("time_zone")),
                            phoneNumberId == null
                                    ? null
                                    : new Channel(
                                            orgId,
                                            phoneNumberId,
                                            rs.getString("waba_id"),
                                            rs.getString("access_token"),
                                            rs.getInt("throughput_per_second")),
                            rs.getString("phone"),
                            lastInbound == null ? null : lastInbound.toInstant(),
                            rs.getBoolean("user_exists"));
                })
                .optional();
    }
}
