package com.replyhero.whatsapp.messages;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What waits in the message queue, for the metrics: each count reads a partial index of the queue, so a table of
 * millions of settled messages costs nothing here.
 */
@Repository
public class QueueBacklog {

    /**
     * Messages queued (due, waiting for a retry, or held by a paused broadcast), due now, of single sends (the rest
     * are broadcast recipients), how long the oldest due one has waited past its time, and the calls under way and
     * unknown outcomes not settled yet.
     */
    public record Backlog(
            long queued, long due, long queuedSingle, long oldestDueSeconds, long sending, long unknown) {}

    private final JdbcClient db;

    QueueBacklog(JdbcClient db) {
        this.db = db;
    }

    public Backlog read() {
        long[] queue = db.sql("""
                        SELECT count(*) AS queued,
                               count(*) FILTER (WHERE next_attempt_at <= now()) AS due,
                               coalesce(extract(epoch FROM now() - min(next_attempt_at)
                                                FILTER (WHERE next_attempt_at <= now())), 0) AS oldest_due
                          FROM messages
                         WHERE status = 'queued'
                        """)
                .query((rs, row) ->
                        new long[] {rs.getLong("queued"), rs.getLong("due"), Math.round(rs.getDouble("oldest_due"))})
                .single();
        long single = db.sql("SELECT count(*) FROM messages WHERE status = 'queued' AND broadcast_id IS NULL")
                .query(Long.class)
                .single();
        long[] inFlight = db.sql("""
                        SELECT count(*) FILTER (WHERE status = 'sending') AS sending,
                               count(*) FILTER (WHERE status = 'unknown') AS unknown
                          FROM messages
                         WHERE status IN ('sending', 'unknown')
                        """)
                .query((rs, row) -> new long[] {rs.getLong("sending"), rs.getLong("unknown")})
                .single();
        return new Backlog(queue[0], queue[1], single, queue[2], inFlight[0], inFlight[1]);
    }
}
