package com.replyhero.whatsapp.metawebhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Meta's webhook bodies as received, stored before they are acknowledged and processed. */
@Repository
class MetaEvents {

    record MetaEvent(long id, String body, int attempts) {}

    private final JdbcClient db;

    MetaEvents(JdbcClient db) {
        this.db = db;
    }

    long store(String body) {
        return db.sql("INSERT INTO meta_events (body) VALUES (:body) RETURNING id")
                .param("body", body)
                .query(Long.class)
                .single();
    }

    void markProcessed(long id, String note) {
        db.sql(
                        "UPDATE meta_events SET processed_at = now(), attempts = attempts + 1, last_error = :note WHERE id = :id")
                .param("id", id)
                .param("note", note)
                .update();
    }

    void markFailed(long id, String error) {
        db.sql("UPDATE meta_events SET attempts = attempts + 1, last_error = :error WHERE id = :id")
                .param("id", id)
                .param("error", error)
                .update();
    }

    /** Deletes up to {@code limit} events applied longer than {@code age} ago; answers how many. */
    int deleteProcessedBefore(Duration age, int limit) {
        // SKIP LOCKED: the nodes' runs overlap without waiting for each other's batches
        return db.sql("""
                        DELETE FROM meta_events
                         WHERE id IN (SELECT id FROM meta_events
                                       WHERE processed_at < now() - :age * interval '1 millisecond'
                                       LIMIT :limit
                                       FOR UPDATE SKIP LOCKED)
                        """).param("age", age.toMillis()).param("limit", limit).update();
    }

    /** Events a crash or a failure left unprocessed, oldest first, that have waited at least a few seconds. */
    List<MetaEvent> unprocessed(int limit) {
        return db.sql("""
                        SELECT id, body, attempts FROM meta_events
                         WHERE processed_at IS NULL AND received_at < now() - interval '5 seconds' AND attempts < 20
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("limit", limit)
                .query((rs, row) -> new MetaEvent(rs.getLong("id"), rs.getString("body"), rs.getInt("attempts")))
                .list();
    }
}
