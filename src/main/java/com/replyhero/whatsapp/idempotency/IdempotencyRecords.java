package com.replyhero.whatsapp.idempotency;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Repository;

/**
 * The requests made with an Idempotency-Key, per {@link KeySpace} (an org's API keys, or the operator for that org):
 * the first one's hash and, once it finished, its answer.
 */
@Repository
public class IdempotencyRecords implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecords.class);

    /** A record: {@code status} is null while the first request is still running. */
    public record Record(byte[] requestHash, Integer status, String contentType, byte[] body) {}

    private final JdbcClient db;
    private final Duration keep;
    private final Duration abandonedAfter;
    private final Duration cleanupInterval;

    IdempotencyRecords(JdbcClient db, IdempotencySettings settings) {
        this.db = db;
        this.keep = settings.keep();
        this.abandonedAfter = settings.abandonedAfter();
        this.cleanupInterval = settings.cleanupInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::forgetOld, cleanupInterval, Duration.ofMinutes(1)));
    }

    /**
     * Claims the key for this request, identified by {@code owner} (a random token per request): empty means go
     * ahead, then {@link #complete} or {@link #release} with the same owner. Otherwise answers the earlier
     * request's record (its hash tells whether it was the same request; no status: still running). A record whose
     * request never finished (in progress past {@code rh.idempotency.abandoned-after}: its node died) is taken
     * over, by one request only.
     */
    public Optional<Record> begin(KeySpace space, String key, byte[] requestHash, UUID owner) {
        for (int tries = 0; tries < 2; tries++) {
            if (claim(space, key, requestHash, owner)) {
                return Optional.empty();
            }
            Optional<Record> earlier = find(space, key);
            if (earlier.isPresent()) {
                return earlier;
            }
            // released or forgotten between the two statements: claim it again
        }
        return Optional.of(new Record(requestHash, null, null, null)); // still contended: in progress, retry
    }

    /** Inserts the record, or takes an abandoned one over; true if this request owns it now. */
    private boolean claim(KeySpace space, String key, byte[] requestHash, UUID owner) {
        // one statement, so one request wins: a second one waits for the first's row lock, then finds the
        // record fresh again (created_at now) and leaves it
        return db.sql("""
                        INSERT INTO idempotency_records AS r (org_id, principal, key, request_hash, owner)
                        VALUES (:orgId, :principal, :key, :hash, :owner)
                        ON CONFLICT (org_id, principal, key) DO UPDATE
                           SET request_hash = excluded.request_hash, owner = excluded.owner, created_at = now()
                         WHERE r.status IS NULL AND r.created_at < now() - :abandoned * interval '1 millisecond'
                        """)
                        .param("orgId", space.orgId())
                        .param("principal", space.principal().value())
                        .param("key", key)
                        .param("hash", requestHash)
                        .param("owner", owner)
                        .param("abandoned", abandonedAfter.toMillis())
                        .update()
                == 1;
    }

    private Optional<Record> find(KeySpace space, String key) {
        return db.sql("""
                        SELECT request_hash, status, content_type, body
                          FROM idempotency_records
                         WHERE org_id = :orgId AND principal = :principal AND key = :key
                        """)
                .param("orgId", space.orgId())
                .param("principal", space.principal().value())
                .param("key", key)
                .query((rs, row) -> new Record(
                        rs.getBytes("request_hash"),
                        (Integer) rs.getObject("status"),
                        rs.getString("content_type"),
                        rs.getBytes("body")))
                .optional();
    }

    /**
     * Keeps the request's answer, to be replayed, if the request still owns the record; false if it lost it (it
     * ran past {@code rh.idempotency.abandoned-after} and a retry took the record over): the answer is not kept.
     */
    public boolean complete(KeySpace space, String key, UUID owner, int status, String contentType, byte[] body) {
        boolean kept = db.sql("""
                                UPDATE idempotency_records
                                   SET status = :status, content_type = :contentType, body = :body
                                 WHERE org_id = :orgId AND principal = :principal AND key = :key
                                   AND owner = :owner AND status IS NULL
                                """)
                        .param("orgId", space.orgId())
                        .param("principal", space.principal().value())
                        .param("key", key)
                        .param("owner", owner)
                        .param("status", status)
                        .param("contentType", contentType)
                        .param("body", body)
                        .update()
                == 1;
        if (!kept) {
            log.warn(
                    "A request of org {} ({}) outlived its Idempotency-Key record (taken over): its answer is not kept",
                    space.orgId(),
                    space.principal().value());
        }
        return kept;
    }

    /** Forgets the key if the request still owns it (the request failed on our side): it may be used again. */
    public void release(KeySpace space, String key, UUID owner) {
        db.sql("""
                        DELETE FROM idempotency_records
                         WHERE org_id = :orgId AND principal = :principal AND key = :key
                           AND owner = :owner AND status IS NULL
                        """)
                .param("orgId", space.orgId())
                .param("principal", space.principal().value())
                .param("key", key)
                .param("owner", owner)
                .update();
    }

    void forgetOld() {
        try {
            db.sql("DELETE FROM idempotency_records WHERE created_at < now() - :keep * interval '1 millisecond'")
                    .param("keep", keep.toMillis())
                    .update();
        } catch (RuntimeException e) {
            log.warn("Forgetting old idempotency records failed: {}", e.getMessage());
        }
    }
}
