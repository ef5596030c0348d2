package com.replyhero.whatsapp.secrets;

import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A sealed column of a table with several rows per org, keyed by {@code (org_id, id)} (channels' tokens, users'
 * two-factor secrets), as the pass that moves sealed secrets to the current key sees it: it walks the rows by
 * (org, id). NULLs are skipped. The table and column are the owning feature's constants, never input.
 */
public final class SealedOrgRowColumn implements SealedColumn {

    private record Stored(String orgId, String id, String value) {}

    private final JdbcClient db;
    private final SecretBox secrets;
    private final String table;
    private final String column;
    private final Function<String, String> contextOfOrg;

    /** {@code contextOfOrg}: what a value of that org is sealed to (its column and org). */
    public SealedOrgRowColumn(
            JdbcClient db, SecretBox secrets, String table, String column, Function<String, String> contextOfOrg) {
        this.db = db;
        this.secrets = secrets;
        this.table = table;
        this.column = column;
        this.contextOfOrg = contextOfOrg;
    }

    @Override
    public String name() {
        return table + "." + column;
    }

    @Override
    public Batch resealAfter(Position after, int limit) {
        List<Stored> rows = db.sql("""
                        SELECT org_id, id, %1$s AS value FROM %2$s
                         WHERE (org_id, id) > (:afterOrg, :afterId) AND %1$s NOT LIKE :current || '%%'
                         ORDER BY org_id, id
                         LIMIT :limit
                        """.formatted(column, table))
                .param("afterOrg", after == null ? "" : after.orgId())
                .param("afterId", after == null ? "" : after.name())
                .param("current", secrets.currentPrefix())
                .param("limit", limit)
                .query((rs, row) -> new Stored(rs.getString("org_id"), rs.getString("id"), rs.getString("value")))
                .list();
        int resealed = 0;
        int unreadable = 0;
        for (Stored row : rows) {
            try {
                resealed += db.sql("""
                                UPDATE %2$s SET %1$s = :sealed
                                 WHERE org_id = :orgId AND id = :id AND %1$s = :stored
                                """.formatted(column, table))
                        .param("sealed", secrets.reseal(contextOfOrg.apply(row.orgId()), row.value()))
                        .param("orgId", row.orgId())
                        .param("id", row.id())
                        .param("stored", row.value())
                        .update();
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        Stored last = rows.isEmpty() ? null : rows.getLast();
        return new Batch(last == null ? null : new Position(last.orgId(), last.id()), resealed, unreadable);
    }
}
