package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.secrets.SecretBox;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each org's event endpoint (where its events are POSTed: the org's webhook, table org_webhooks) and signing secret. */
@Repository
class EventEndpoints {

    /** An org's endpoint. */
    record EventEndpoint(
            String orgId, String url, String secret, Instant updatedAt, Instant disabledAt, String disabledReason) {}

    private final JdbcClient db;
    private final SecretBox secrets;

    EventEndpoints(JdbcClient db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    EventEndpoint save(String orgId, String url, String secret) {
        return db.sql("""
                        INSERT INTO org_webhooks (org_id, url, secret) VALUES (:orgId, :url, :secret)
                        ON CONFLICT (org_id) DO UPDATE
                           SET url = excluded.url, secret = excluded.secret, updated_at = now(),
                               disabled_at = NULL, disabled_reason = NULL
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("url", url)
                .param("secret", secrets.seal(secretContext(orgId), secret))
                .query((rs, row) -> endpoint(rs))
                .single();
    }

    Optional<EventEndpoint> find(String orgId) {
        return db.sql("SELECT * FROM org_webhooks WHERE org_id = :orgId")
                .param("orgId", orgId)
                .query((rs, row) -> endpoint(rs))
                .optional();
    }

    /** The endpoint said it is gone (410): no more deliveries until the org sets its webhook again. */
    void disable(String orgId, String reason) {
        db.sql("""
                        UPDATE org_webhooks SET disabled_at = now(), disabled_reason = :reason
                         WHERE org_id = :orgId AND disabled_at IS NULL
                        """).param("orgId", orgId).param("reason", reason).update();
    }

    boolean delete(String orgId) {
        return db.sql("DELETE FROM org_webhooks WHERE org_id = :orgId")
                        .param("orgId", orgId)
                        .update()
                > 0;
    }

    /** Where an org's signing secret is sealed to. */
    static String secretContext(String orgId) {
        return "org_webhooks.secret/" + orgId;
    }

    private EventEndpoint endpoint(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new EventEndpoint(
                rs.getString("org_id"),
                rs.getString("url"),
                secrets.open(secretContext(rs.getString("org_id")), rs.getString("secret")),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getTimestamp("disabled_at") == null
                        ? null
                        : rs.getTimestamp("disabled_at").toInstant(),
                rs.getString("disabled_reason"));
    }
}
