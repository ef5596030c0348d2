package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Org event endpoints' signing secrets, as the pass that moves sealed secrets to the current key sees them. */
@Component
class SealedEventSecrets implements SealedColumn {

    private record Stored(String orgId, String secret) {}

    private final JdbcClient db;
    private final SecretBox secrets;

    SealedEventSecrets(JdbcClient db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "org_webhooks.secret";
    }

    @Override
    public Batch resealAfter(Position after, int limit) {
        List<Stored> rows = db.sql("""
                        SELECT org_id, secret FROM org_webhooks
                         WHERE org_id > :after AND secret NOT LIKE :current || '%'
                         ORDER BY org_id
                         LIMIT :limit
                        """)
                .param("after", after == null ? "" : after.orgId())
                .param("current", secrets.currentPrefix())
                .param("limit", limit)
                .query((rs, row) -> new Stored(rs.getString("org_id"), rs.getString("secret")))
                .list();
        int resealed = 0;
        int unreadable = 0;
        for (Stored row : rows) {
            String context = OrgWebhooks.secretContext(row.orgId());
            try {
                resealed += db.sql("""
                                UPDATE org_webhooks SET secret = :sealed
                                 WHERE org_id = :orgId AND secret = :stored
                                """)
                        .param("sealed", secrets.reseal(context, row.secret()))
                        .param("orgId", row.orgId())
                        .param("stored", row.secret())
                        .update();
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        return new Batch(rows.isEmpty() ? null : new Position(rows.getLast().orgId(), null), resealed, unreadable);
    }
}
