package com.replyhero.whatsapp.media;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Media customers sent (rows of {@code media}, direction {@code inbound}) and the queue of their downloads
 * from the Cloud API ({@code media_downloads}, worked by {@link MediaDownloadDispatcher}).
 */
@Repository
public class InboundMedia {

    /** The kinds of customers' messages that carry a medium. */
    static final Set<String> KINDS = Set.of("image", "document", "video", "audio", "sticker");

    /** A download waiting or in progress. */
    /** {@code channelId}: the number its message came in on (null: the org's default), whose token downloads it. */
    record Download(
            String orgId, String mediaId, String messageId, String expectedSha256, int attempts, String channelId) {}

    /** A received medium as stored: its file's path once downloaded, and {@code downloading}, ready or failed. */
    record Stored(String mimeType, String filename, String storagePath, String status, String sha256) {}

    private final JdbcClient db;
    private final TransactionTemplate transaction;

    InboundMedia(JdbcClient db, TransactionTemplate transaction) {
        this.db = db;
        this.transaction = transaction;
    }

    /**
     * A customer's message was stored (Meta's message object, of this {@code kind}): when it carries a medium,
     * the medium's row and its download job, once per media id. In the transaction that stores the message.
     */
    public void received(String orgId, String channelId, String messageId, String kind, JsonNode message) {
        JsonNode media = message.path(kind);
        String mediaId = media.path("id").asString(null);
        if (!KINDS.contains(kind) || mediaId == null || mediaId.isBlank()) {
            return;
        }
        int inserted = db.sql("""
                        INSERT INTO media (org_id, id, direction, mime_type, sha256, filename, status)
                        VALUES (:orgId, :id, 'inbound', :mimeType, :sha256, :filename, 'downloading')
                        ON CONFLICT (org_id, id) DO NOTHING
                        """)
                .param("orgId", orgId)
                .param("id", mediaId)
                .param("mimeType", media.path("mime_type").asString("application/octet-stream"))
                .param("sha256", media.path("sha256").asString(null))
                .param("filename", media.path("filename").asString(null))
                .update();
        if (inserted > 0) {
            db.sql("""
                            INSERT INTO media_downloads (org_id, media_id, message_id, expected_sha256, channel_id)
                            VALUES (:orgId, :mediaId, :messageId, :sha256, :channelId)
                            """)
                    .param("orgId", orgId)
                    .param("channelId", channelId)
                    .param("mediaId", mediaId)
                    .param("messageId", messageId)
                    .param("sha256", media.path("sha256").asString(null))
                    .update();
        }
    }

    /** The org's received medium with this id. */
    Optional<Stored> find(String orgId, String id) {
        return db.sql("""
                        SELECT mime_type, filename, storage_path, status, sha256 FROM media
                         WHERE org_id = :orgId AND id = :id AND direction = 'inbound'
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .query((rs, row) -> new Stored(
                        rs.getString("mime_type"),
                        rs.getString("filename"),
                        rs.getString("storage_path"),
                        rs.getString("status"),
                        rs.getString("sha256")))
                .optional();
    }

    /** Claims up to {@code limit} due downloads for this node (leased for 10 minutes), counting the attempt. */
    List<Download> claim(int limit) {
        return db.sql("""
                        UPDATE media_downloads d
                           SET lease_until = now() + interval '10 minutes', attempts = d.attempts + 1
                          FROM (SELECT org_id, media_id FROM media_downloads
                                 WHERE next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                                 ORDER BY next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE SKIP LOCKED) due
                         WHERE d.org_id = due.org_id AND d.media_id = due.media_id
                        RETURNING d.*
                        """)
                .param("limit", limit)
                .query((rs, row) -> new Download(
                        rs.getString("org_id"),
                        rs.getString("media_id"),
                        rs.getString("message_id"),
                        rs.getString("expected_sha256"),
                        rs.getInt("attempts"),
                        rs.getString("channel_id")))
                .list();
    }

    /** The download is complete: the medium is ready at {@code path}, and its job is done (one transaction). */
    void ready(Download d, String path, long size, String sha256, String mimeType) {
        transaction.executeWithoutResult(tx -> {
            db.sql("""
                            UPDATE media
                               SET status = 'ready', storage_path = :path, size_bytes = :size,
                                   sha256 = :sha256, mime_type = coalesce(:mimeType::text, mime_type)
                             WHERE org_id = :orgId AND id = :id
                            """)
                    .param("orgId", d.orgId())
                    .param("id", d.mediaId())
                    .param("path", path)
                    .param("size", size)
                    .param("sha256", sha256)
                    .param("mimeType", mimeType)
                    .update();
            db.sql("DELETE FROM media_downloads WHERE org_id = :orgId AND media_id = :id")
                    .param("orgId", d.orgId())
                    .param("id", d.mediaId())
                    .update();
        });
    }

    /**
     * An attempt failed: the job waits until {@code next}, or, the {@code last} one, for ever and the medium is
     * {@code failed} (one transaction).
     */
    void failed(Download d, String error, boolean last, Instant next) {
        transaction.executeWithoutResult(tx -> {
            db.sql("""
                            UPDATE media_downloads
                               SET lease_until = NULL, last_error = :error,
                                   next_attempt_at = CASE WHEN :last THEN 'infinity'::timestamptz ELSE :next END
                             WHERE org_id = :orgId AND media_id = :id
                            """)
                    .param("orgId", d.orgId())
                    .param("id", d.mediaId())
                    .param("error", error)
                    .param("last", last)
                    .param("next", Timestamp.from(next))
                    .update();
            if (last) {
                db.sql("UPDATE media SET status = 'failed' WHERE org_id = :orgId AND id = :id")
                        .param("orgId", d.orgId())
                        .param("id", d.mediaId())
                        .update();
            }
        });
    }
}
