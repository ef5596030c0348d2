package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API keys: only their hashes are stored. */
@Repository
public class ApiKeys {

    /** A key as listed: never the key itself. */
    public record ApiKeyView(String id, String name, String hint, Instant createdAt, Instant revokedAt) {}

    /** A key just created: the only time the key itself is shown. */
    public record CreatedApiKey(String id, String name, String key, String hint, Instant createdAt) {}

    private final JdbcClient db;

    ApiKeys(JdbcClient db) {
        this.db = db;
    }

    public CreatedApiKey create(String orgId, String name) {
        String key = ApiKeyFormat.newKey();
        String id = Ids.next();
        Instant createdAt = db.sql("""
                        INSERT INTO api_keys (org_id, id, name, key_hash, hint)
                        VALUES (:orgId, :id, :name, :hash, :hint)
                        RETURNING created_at
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("name", name)
                .param("hash", ApiKeyFormat.hash(key))
                .param("hint", ApiKeyFormat.hint(key))
                .query(Instant.class)
                .single();
        return new CreatedApiKey(id, name, key, ApiKeyFormat.hint(key), createdAt);
    }

    public List<ApiKeyView> list(String orgId, int limit) {
        return db.sql("SELECT * FROM api_keys WHERE org_id = :orgId ORDER BY created_at, id LIMIT :limit")
                .param("orgId", orgId)
                .param("limit", limit)
                .query(ApiKeys::view)
                .list();
    }

    /** Revokes the key at once; false when the org has no such key. */
    public boolean revoke(String orgId, String id) {
        return db.sql("""
                        UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                         WHERE org_id = :orgId AND id = :id
                        """).param("orgId", orgId).param("id", id).update() == 1;
    }

    /** The caller a presented key stands for, if it is well formed, known and not revoked. */
    public Optional<Caller> authenticate(String presentedKey) {
        if (!ApiKeyFormat.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        return db.sql("SELECT org_id, id FROM api_keys WHERE key_hash = :hash AND revoked_at IS NULL")
                .param("hash", ApiKeyFormat.hash(presentedKey))
                .query((rs, row) -> new Caller(rs.getString("org_id"), rs.getString("id")))
                .optional();
    }

    private static ApiKeyView view(ResultSet rs, int row) throws SQLException {
        return new ApiKeyView(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("hint"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("revoked_at") == null
                        ? null
                        : rs.getTimestamp("revoked_at").toInstant());
    }
}
