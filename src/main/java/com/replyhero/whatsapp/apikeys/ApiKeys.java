package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.database.AsyncCommit;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * API keys: only their hashes are stored. A key with a rate limit is looked up in the database on every request,
 * by the statement that counts the request against the limit, so its revocation holds at once on every node. A
 * key without a limit is remembered for {@code rh.api-keys.cache-for} (1 s) per node: its requests cost no round
 * trip, and its revocation holds at once on the node that revoked it, within that time on the others.
 */
@Repository
public class ApiKeys {

    /** A key as listed: never the key itself. */
    public record ApiKeyView(
            String id,
            String name,
            String hint,
            List<Scope> scopes,
            Integer rateLimitPerSecond,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {}

    /** A key just created: the only time the key itself is shown. */
    public record CreatedApiKey(
            String id,
            String name,
            String key,
            String hint,
            List<Scope> scopes,
            Integer rateLimitPerSecond,
            Instant createdAt) {}

    /**
     * A presented key that is known and not revoked: its caller, the requests counted in its sliding one-second
     * window with this one (above the limit when this one was refused), the key's limit per second (0: none).
     */
    public record Authenticated(Caller caller, int usedThisSecond, int limitPerSecond) {

        public boolean overLimit() {
            return limitPerSecond > 0 && usedThisSecond > limitPerSecond;
        }
    }

    private final JdbcClient db;
    private final AsyncCommit asyncCommit;
    private final int defaultLimitPerSecond;
    private final long cacheForNanos;
    // keys without a rate limit, by the hex of their hash: nothing to count, so no need to ask the database each time
    private final Map<String, Remembered> unlimited = new ConcurrentHashMap<>();

    private record Remembered(Caller caller, long untilNanos) {}

    ApiKeys(JdbcClient db, AsyncCommit asyncCommit, RateLimitSettings rateLimit, ApiKeySettings settings) {
        this.db = db;
        this.asyncCommit = asyncCommit;
        this.defaultLimitPerSecond = rateLimit.perKeyPerSecond();
        this.cacheForNanos = settings.cacheFor().toNanos();
    }

    public CreatedApiKey create(String orgId, String name) {
        return create(orgId, name, Scope.all(), null);
    }

    public CreatedApiKey create(String orgId, String name, Set<Scope> scopes, Integer rateLimitPerSecond) {
        String key = ApiKeyFormat.newKey();
        String id = Ids.next();
        List<Scope> ordered = ordered(scopes);
        Instant createdAt = db.sql("""
                        INSERT INTO api_keys (org_id, id, name, key_hash, hint, scopes, rate_limit_per_second)
                        VALUES (:orgId, :id, :name, :hash, :hint, string_to_array(:scopes, ','), :limit)
                        RETURNING created_at
                        """)
                .param("orgId", orgId)
                .param("id", id)
                .param("name", name)
                .param("hash", ApiKeyFormat.hash(key))
                .param("hint", ApiKeyFormat.hint(key))
                .param(
                        "scopes",
                        String.join(",", ordered.stream().map(Scope::value).toList()))
                .param("limit", rateLimitPerSecond)
                .query(Instant.class)
                .single();
        return new CreatedApiKey(id, name, key, ApiKeyFormat.hint(key), ordered, rateLimitPerSecond, createdAt);
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
        unlimited
                .values()
                .removeIf(k ->
                        k.caller().orgId().equals(orgId) && k.caller().keyId().equals(id));
        return db.sql("""
                        UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
                         WHERE org_id = :orgId AND id = :id
                        """).param("orgId", orgId).param("id", id).update() == 1;
    }

    /** The caller a presented key stands for, if it is well formed, known and not revoked. */
    public Optional<Caller> authenticate(String presentedKey) {
        return authenticateAndCount(presentedKey).map(Authenticated::caller);
    }

    /**
     * Looks the key up and counts this request in the key's sliding window (the last 1 to 1.05 s of the database's
     * clock, in slots of 50 ms: no one-second interval lets more than the limit through, across nodes), in one
     * statement (one round trip); a refused request is not counted;
     * a key without a limit remembered from less than {@code rh.api-keys.cache-for} ago costs none. The last-used
     * time is written at most once a minute per key.
     */
    public Optional<Authenticated> authenticateAndCount(String presentedKey) {
        if (!ApiKeyFormat.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        byte[] hash = ApiKeyFormat.hash(presentedKey);
        String remembered = HexFormat.of().formatHex(hash);
        Remembered known = unlimited.get(remembered);
        if (known != null && System.nanoTime() - known.untilNanos() < 0) {
            return Optional.of(new Authenticated(known.caller(), 0, 0));
        }
        // the count's commit does not wait for the disk: a database crash forgets at most the last 600 ms of counts
        Optional<Row> found = asyncCommit.run(() -> lookUpAndCount(hash));
        found.filter(Row::stale).ifPresent(row -> touch(row.caller()));
        Optional<Authenticated> authenticated = found.map(row -> new Authenticated(
                row.caller(), row.used(), row.limitPerSecond() != null ? row.limitPerSecond() : defaultLimitPerSecond));
        authenticated.filter(a -> a.limitPerSecond() == 0 && cacheForNanos > 0).ifPresent(a -> {
            if (unlimited.size() >= MAX_REMEMBERED) {
                unlimited.clear();
            }
            unlimited.put(remembered, new Remembered(a.caller(), System.nanoTime() + cacheForNanos));
        });
        return authenticated;
    }

    /** The key with this hash, counted against its limit when it has one. */
    private Optional<Row> lookUpAndCount(byte[] hash) {
        return db.sql("""
                        WITH key AS (
                            SELECT org_id, id, scopes, rate_limit_per_second,
                                   last_used_at IS NULL OR last_used_at < now() - interval '1 minute' AS stale
                              FROM api_keys
                             WHERE key_hash = :hash AND revoked_at IS NULL
                        ), limited AS (
                            SELECT key.*, coalesce(rate_limit_per_second, :defaultLimit) AS per_second,
                                   floor(extract(epoch FROM clock_timestamp()) * 20)::bigint AS now_slot
                              FROM key
                        ), counted AS (
                            -- a sliding window of 21 slots of 50 ms; no limit, no count: no write per request
                            INSERT INTO api_key_windows AS w (org_id, key_id, slot, counts, refused)
                            SELECT org_id, id, now_slot, 1 || array_fill(0, ARRAY[20]), false FROM limited
                             WHERE per_second > 0
                            ON CONFLICT (org_id, key_id) DO UPDATE
                               -- let through while the window, moved on to now, holds fewer than the limit
                               SET (counts, refused) = (
                                       SELECT CASE WHEN used < per_second THEN (moved[1] + 1) || moved[2 : 21]
                                                   ELSE moved END,
                                              used >= per_second
                                         FROM (SELECT moved, (SELECT sum(c) FROM unnest(moved) c) AS used,
                                                      (SELECT per_second FROM limited) AS per_second
                                                 FROM api_key_window_at(w.counts, w.slot, excluded.slot) moved) m),
                                   slot = greatest(w.slot, excluded.slot)
                            -- used: the requests in the window with this one, which is over the limit when refused
                            RETURNING (SELECT sum(c) FROM unnest(counts) c) + CASE WHEN refused THEN 1 ELSE 0 END AS used
                        )
                        SELECT key.*, coalesce((SELECT used FROM counted), 0) AS used FROM key
                        """)
                .param("hash", hash)
                .param("defaultLimit", defaultLimitPerSecond)
                .query((rs, row) -> new Row(
                        new Caller(rs.getString("org_id"), rs.getString("id"), scopes(rs.getArray("scopes"))),
                        rs.getInt("used"),
                        (Integer) rs.getObject("rate_limit_per_second"),
                        rs.getBoolean("stale")))
                .optional();
    }

    private static final int MAX_REMEMBERED = 10_000;

    private record Row(Caller caller, int used, Integer limitPerSecond, boolean stale) {}

    /** Conditional, so concurrent requests on several nodes write the time once. */
    private void touch(Caller caller) {
        db.sql("""
                        UPDATE api_keys SET last_used_at = now()
                         WHERE org_id = :orgId AND id = :id
                           AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                        """).param("orgId", caller.orgId()).param("id", caller.keyId()).update();
    }

    private static List<Scope> ordered(Set<Scope> scopes) {
        return Arrays.stream(Scope.values()).filter(scopes::contains).toList();
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object value : (Object[]) array.getArray()) {
            Scope.of((String) value).ifPresent(scopes::add);
        }
        return scopes;
    }

    private static ApiKeyView view(ResultSet rs, int row) throws SQLException {
        return new ApiKeyView(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("hint"),
                ordered(scopes(rs.getArray("scopes"))),
                (Integer) rs.getObject("rate_limit_per_second"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs, "last_used_at"),
                instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column) == null ? null : rs.getTimestamp(column).toInstant();
    }
}
