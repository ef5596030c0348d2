package com.replyhero.whatsapp.secrets;

import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A sealed column of an org's table, as the pass that moves sealed secrets to the current key sees it: a table with
 * one row per org (an event endpoint's secret: {@link #onePerOrg}) or with several, keyed by {@code (org_id, id)}
 * (channels' tokens, users' two-factor secrets: {@link #severalPerOrg}). The pass walks the rows in key order; NULLs
 * are skipped. The table and column are the owning feature's constants, never input.
 */
public final class SealedOrgColumn implements SealedColumn {

    private record Stored(String orgId, String id, String value) {}

    private final JdbcClient db;
    private final SecretBox secrets;
    private final String table;
    private final String column;
    private final boolean keyedById;
    private final Function<String, String> contextOfOrg;

    private SealedOrgColumn(
            JdbcClient db,
            SecretBox secrets,
            String table,
            String column,
            boolean keyedById,
            Function<String, String> contextOfOrg) {
        this.db = db;
        this.secrets = secrets;
        this.table = table;
        this.column = column;
        this.keyedById = keyedById;
        this.contextOfOrg = contextOfOrg;
    }

    /** A table with one row per org. {@code contextOfOrg}: what a value of that org is sealed to. */
    public static SealedOrgColumn onePerOrg(
            JdbcClient db, SecretBox secrets, String table, String column, Function<String, String> contextOfOrg) {
        return new SealedOrgColumn(db, secrets, table, column, false, contextOfOrg);
    }

    /** A table keyed by {@code (org_id, id)}. {@code contextOfOrg}: what a value of that org is sealed to. */
    public static SealedOrgColumn severalPerOrg(
            JdbcClient db, SecretBox secrets, String table, String column, Function<String, String> contextOfOrg) {
        return new SealedOrgColumn(db, secrets, table, column, true, contextOfOrg);
    }

    @Override
    public String name() {
        return table + "." + column;
    }

    @Override
    public Batch resealAfter(Position after, int limit) {
        // one row per org: the id is the org's, so the same statements serve both shapes
        String id = keyedById ? "id" : "org_id";
        List<Stored> rows = db.sql("""
                        SELECT org_id, %3$s AS id, %1$s AS value FROM %2$s
                         WHERE (org_id, %3$s) > (:afterOrg, :afterId) AND %1$s NOT LIKE :current || '%%'
                         ORDER BY org_id, %3$s
                         LIMIT :limit
                        """.formatted(column, table, id))
                .param("afterOrg", after == null ? "" : after.orgId())
                .param("afterId", after == null || after.name() == null ? "" : after.name())
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
                                 WHERE org_id = :orgId AND %3$s = :id AND %1$s = :stored
                                """.formatted(column, table, id))
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
