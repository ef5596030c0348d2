package com.replyhero.whatsapp.events;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each org's webhook endpoint and signing secret. */
@Repository
class OrgWebhooks {

    /** An org's endpoint. */
    record OrgWebhook(String orgId, String url, String secret, Instant updatedAt) {}

    private final JdbcClient db;

    OrgWebhooks(JdbcClient db) {
        this.db = db;
    }

    OrgWebhook save(String orgId, String url, String secret) {
        return db.sql("""
                        INSERT INTO org_webhooks (org_id, url, secret) VALUES (:orgId, :url, :secret)
                        ON CONFLICT (org_id) DO UPDATE
                           SET url = excluded.url, secret = excluded.secret, updated_at = now()
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("url", url)
                .param("secret", secret)
                .query(OrgWebhooks::webhook)
                .single();
    }

    Optional<OrgWebhook> find(String orgId) {
        return db.sql("SELECT * FROM org_webhooks WHERE org_id = :orgId")
                .param("orgId", orgId)
                .query(OrgWebhooks::webhook)
                .optional();
    }

    boolean delete(String orgId) {
        return db.sql("DELETE FROM org_webhooks WHERE org_id = :orgId")
                        .param("orgId", orgId)
                        .update()
                > 0;
    }

    private static OrgWebhook webhook(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new OrgWebhook(
                rs.getString("org_id"),
                rs.getString("url"),
                rs.getString("secret"),
                rs.getTimestamp("updated_at").toInstant());
    }
}
