package com.replyhero.whatsapp.media;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Media an org uploaded to the Cloud API (rows of the {@code media} table, direction {@code outbound}). */
@Repository
public class UploadedMedia {

    /** Meta keeps an uploaded media id for 30 days. */
    public static final Duration META_RETENTION = Duration.ofDays(30);

    /** An uploaded media id of one org. */
    public record Upload(String orgId, String id, String mimeType, long sizeBytes, String filename, Instant expiresAt) {

        public boolean expiredAt(Instant now) {
            return expiresAt != null && !expiresAt.isAfter(now);
        }
    }

    private final JdbcClient db;

    UploadedMedia(JdbcClient db) {
        this.db = db;
    }

    /** {@code storagePath}: the key of the copy kept in the media store ({@code rh.media.keep-outbound}), or null. */
    public Upload record(
            String orgId, String id, String mimeType, MediaFile file, String filename, String storagePath) {
        Instant expiresAt = Instant.now().plus(META_RETENTION);
        db.sql("""
                        INSERT INTO media (org_id, id, direction, mime_type, size_bytes, sha256, filename, expires_at,
                                           storage_path)
                        VALUES (:orgId, :id, 'outbound', :mimeType, :size, :sha256, :filename, :expiresAt,
                                :storagePath)
                        ON CONFLICT (org_id, id) DO UPDATE
                           SET mime_type = excluded.mime_type, size_bytes = excluded.size_bytes,
                               sha256 = excluded.sha256, filename = excluded.filename,
                               storage_path = excluded.storage_path,
                               expires_at = excluded.expires_at, status = 'ready'
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("mimeType", mimeType)
                .param("size", file.size())
                .param("sha256", file.sha256())
                .param("filename", filename)
                .param("expiresAt", Timestamp.from(expiresAt))
                .param("storagePath", storagePath)
                .update();
        return new Upload(orgId, id, mimeType, file.size(), filename, expiresAt);
    }

    /** Whether the org has a medium with this id: uploaded, or (as it always did) received from a customer. */
    public boolean exists(String orgId, String id) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM media WHERE org_id = :orgId AND id = :id)")
                .param("orgId", orgId)
                .param("id", id)
                .query(Boolean.class)
                .single();
    }

    /** The org's own upload with this id; another org's id is not found. */
    public Optional<Upload> find(String orgId, String id) {
        return db.sql("""
                        SELECT org_id, id, mime_type, size_bytes, filename, expires_at
                          FROM media
                         WHERE org_id = :orgId AND id = :id AND direction = 'outbound'
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .query((rs, row) -> new Upload(
                        rs.getString("org_id"),
                        rs.getString("id"),
                        rs.getString("mime_type"),
                        rs.getLong("size_bytes"),
                        rs.getString("filename"),
                        rs.getTimestamp("expires_at") == null
                                ? null
                                : rs.getTimestamp("expires_at").toInstant()))
                .optional();
    }
}
