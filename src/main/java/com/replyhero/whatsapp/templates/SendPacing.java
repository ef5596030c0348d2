package com.replyhero.whatsapp.templates;

import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The pace of each of an org's numbers (channels), shared by every gateway node through the database: a node reserves the
 * next {@code n} send slots ({@code 1/rate} apart) by moving the number's {@code next_slot} forward in one
 * statement, so the slots of all nodes never overlap and the number never goes above its rate. Slots are
 * never reserved in the past: an idle number does not build up a burst.
 */
@Component
class SendPacing {

    /** Reserved slots: the first is {@code delay} from now (by the database's clock), then one every interval. */
    record Slots(int count, Duration delay, Duration interval, long endMicros) {

        Duration at(int i) {
            return delay.plus(interval.multipliedBy(i));
        }

        /**
         * Nanoseconds from now to the first slot (negative when it has passed), by this node's wall clock: the
         * slots are instants of the database's clock, the same for every node, so a node that got its answer late
         * sends late (and gives such sends new slots) instead of overlapping the next node's slots.
         */
        long nanosToFirst() {
            Instant now = Instant.now();
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            return endMicros * 1000 - interval.toNanos() * count - nowNanos;
        }
    }

    private final JdbcClient db;

    SendPacing(JdbcClient db) {
        this.db = db;
    }

    Slots reserve(String orgId, String channelId, double ratePerSecond, int count) {
        long intervalNanos = (long) Math.ceil(1_000_000_000L / ratePerSecond);
        long spanMicros = intervalNanos * count / 1000;
        return db.sql("""
                        INSERT INTO channel_pacing AS p (org_id, channel_id, next_slot)
                        VALUES (:orgId, :channelId, clock_timestamp() + :span * interval '1 microsecond')
                        ON CONFLICT (org_id, channel_id) DO UPDATE
                           SET next_slot = greatest(p.next_slot, clock_timestamp()) + :span * interval '1 microsecond'
                        RETURNING (extract(epoch FROM (p.next_slot - clock_timestamp())) * 1000000)::bigint - :span
                                      AS delay_micros,
                                  (extract(epoch FROM p.next_slot) * 1000000)::bigint AS end_micros
                        """)
                .param("orgId", orgId)
                .param("channelId", channelId)
                .param("span", spanMicros)
                .query((rs, row) -> new Slots(
                        count,
                        Duration.ofNanos(Math.max(0, rs.getLong("delay_micros")) * 1000),
                        Duration.ofNanos(intervalNanos),
                        rs.getLong("end_micros")))
                .single();
    }

    /** Gives back the last {@code unused} slots of a reservation when nobody reserved after it. */
    void release(String orgId, String channelId, Slots slots, int unused) {
        if (unused <= 0) {
            return;
        }
        long spanMicros = slots.interval().toNanos() * unused / 1000;
        db.sql("""
                        UPDATE channel_pacing
                           SET next_slot = greatest(next_slot - :span * interval '1 microsecond', clock_timestamp())
                         WHERE org_id = :orgId AND channel_id = :channelId
                           AND (extract(epoch FROM next_slot) * 1000000)::bigint = :end
                        """)
                .param("orgId", orgId)
                .param("channelId", channelId)
                .param("span", spanMicros)
                .param("end", slots.endMicros())
                .update();
    }
}
