package com.replyhero.whatsapp.idempotency;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/** The requests made with an Idempotency-Key, per org: the first one's hash and, once it finished, its answer. */
@Repository
public class IdempotencyRecords {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyRecords.class);

    /** A record: {@code status} is null while the first request is still running. */
    public record Record(byte[] requestHash, Integer status, String contentType, byte[] body, boolean abandoned) {}

    private final JdbcClient db;
    private final Duration keep;
    private final Duration abandonedAfter;

    IdempotencyRecords(
            JdbcClient db,
            @Value("${rh.idempotency.keep:24h}") Duration keep,
            @Value("${rh.idempotency.abandoned-after:2m}") Duration abandonedAfter) {
        this.db = db;
        this.keep = keep;
        this.abandonedAfter = abandonedAfter;
    }

    /**
     * Claims the key for this request (empty: go ahead, then {@link #complete} or {@link #release}), or answers
     * the earlier request's record (its hash tells whether it was the same request; no status: still running).
     * A record whose request never finished (its node died) is taken over.
     */
    public Optional<Record> begin(String orgId, String key, byte[] requestHash) {
        if (claim(orgId, key, requestHash)) {
            return Optional.empty();
        }
        Optional<Record> earlier = find(orgId, key);
        if (earlier.isPresent() && !earlier.get().abandoned()) {
            return earlier;
        }
        earlier.ifPresent(abandoned -> release(orgId, key));
        if (claim(orgId, key, requestHash)) {
            return Optional.empty();
        }
        return Optional.of(new Record(requestHash, null, null, null, false)); // another request took it just now
    }

    private boolean claim(String orgId, String key, byte[] requestHash) {
        return db.sql("""
                        INSERT INTO idempotency_records (org_id, key, request_hash) VALUES (:orgId, :key, :hash)
                        ON CONFLICT (org_id, key) DO NOTHING
                        """)
                        .param("orgId", orgId)
                        .param("key", key)
                        .param("hash", requestHash)
                        .update()
                == 1;
    }

    private Optional<Record> find(String orgId, String key) {
        return db.sql("""
                        SELECT request_hash, status, content_type, body,
                               status IS NULL AND created_at < now() - :abandoned * interval '1 millisecond' AS abandoned
                          FROM idempotency_records
                         WHERE org_id = :orgId AND key = :key
                        """)
                .param("orgId", orgId)
                .param("key", key)
                .param("abandoned", abandonedAfter.toMillis())
                .query((rs, row) -> new Record(
                        rs.getBytes("request_hash"),
                        (Integer) rs.getObject("status"),
                        rs.getString("content_type"),
                        rs.getBytes("body"),
                        rs.getBoolean("abandoned")))
                .optional();
    }

    /** Keeps the first request's answer, to be replayed. */
    public void complete(String orgId, String key, int status, String contentType, byte[] body) {
        db.sql("""
                        UPDATE idempotency_records SET status = :status, content_type = :contentType, body = :body
                         WHERE org_id = :orgId AND key = :key
                        """)
                .param("orgId", orgId)
                .param("key", key)
                .param("status", status)
                .param("contentType", contentType)
                .param("body", body)
                .update();
    }

    /** Forgets the key (the request failed on our side, or its process died): it may be used again. */
    public void release(String orgId, String key) {
        db.sql("DELETE FROM idempotency_records WHERE org_id = :orgId AND key = :key")
                .param("orgId", orgId)
                .param("key", key)
                .update();
    }

    @Scheduled(fixedDelayString = "${rh.idempotency.cleanup-interval:10m}", initialDelayString = "1m")
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
