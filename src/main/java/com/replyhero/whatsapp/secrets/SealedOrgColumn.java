package com.replyhero.whatsapp.secrets;

import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A sealed column of a table with one row per org (a channel's token, an event endpoint's secret), as the pass that
 * moves sealed secrets to the current key sees it. The table and column are the owning feature's constants, never
 * input.
 */
public final class SealedOrgColumn implements SealedColumn {

    private record Stored(String orgId, String value) {}

    private final JdbcClient db;
    private final SecretBox secrets;
    private final String table;
    private final String column;
    private final Function<String, String> contextOfOrg;

    /** {@code contextOfOrg}: what a value of that org is sealed to (its column and org). */
    public SealedOrgColumn(
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
                        SELECT org_id, %1$s AS value FROM %2$s
                         WHERE org_id > :after AND %1$s NOT LIKE :current || '%%'
                         ORDER BY org_id
                         LIMIT :limit
                        """.formatted(column, table))
                .param("after", after == null ? "" : after.orgId())
                .param("current", secrets.currentPrefix())
                .param("limit", limit)
                .query((rs, row) -> new Stored(rs.getString("org_id"), rs.getString("value")))
                .list();
        int resealed = 0;
        int unreadable = 0;
        for (Stored row : rows) {
            try {
                resealed += db.sql("""
                                UPDATE %2$s SET %1$s = :sealed
                                 WHERE org_id = :orgId AND %1$s = :stored
                                """.formatted(column, table))
                        .param("sealed", secrets.reseal(contextOfOrg.apply(row.orgId()), row.value()))
                        .param("orgId", row.orgId())
                        .param("stored", row.value())
                        .update();
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        return new Batch(rows.isEmpty() ? null : new Position(rows.getLast().orgId(), null), resealed, unreadable);
    }
}
