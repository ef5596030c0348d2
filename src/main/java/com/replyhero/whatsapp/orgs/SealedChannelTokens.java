package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Channel access tokens, as the pass that moves sealed secrets to the current key sees them: an org has several
 * channels, so the pass walks them by (org, channel id).
 */
@Component
class SealedChannelTokens implements SealedColumn {

    private record Stored(String orgId, String id, String token) {}

    private final JdbcClient db;
    private final SecretBox secrets;

    SealedChannelTokens(JdbcClient db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "channels.access_token";
    }

    @Override
    public Batch resealAfter(Position after, int limit) {
        List<Stored> rows = db.sql("""
                        SELECT org_id, id, access_token FROM channels
                         WHERE (org_id, id) > (:afterOrg, :afterId) AND access_token NOT LIKE :current || '%'
                         ORDER BY org_id, id
                         LIMIT :limit
                        """)
                .param("afterOrg", after == null ? "" : after.orgId())
                .param("afterId", after == null ? "" : after.name())
                .param("current", secrets.currentPrefix())
                .param("limit", limit)
                .query((rs, row) ->
                        new Stored(rs.getString("org_id"), rs.getString("id"), rs.getString("access_token")))
                .list();
        int resealed = 0;
        int unreadable = 0;
        for (Stored row : rows) {
            try {
                resealed += db.sql("""
                                UPDATE channels SET access_token = :sealed
                                 WHERE org_id = :orgId AND id = :id AND access_token = :stored
                                """)
                        .param("sealed", secrets.reseal(Channel.tokenContext(row.orgId()), row.token()))
                        .param("orgId", row.orgId())
                        .param("id", row.id())
                        .param("stored", row.token())
                        .update();
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        Stored last = rows.isEmpty() ? null : rows.getLast();
        return new Batch(last == null ? null : new Position(last.orgId(), last.id()), resealed, unreadable);
    }
}
