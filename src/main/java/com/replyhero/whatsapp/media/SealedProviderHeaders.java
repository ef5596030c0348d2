package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Media providers' header values, as the pass that moves sealed secrets to the current key sees them. */
@Component
class SealedProviderHeaders implements SealedColumn {

    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {};

    private record Stored(String orgId, String name, String headers) {}

    private final JdbcClient db;
    private final JsonMapper json;
    private final SecretBox secrets;

    SealedProviderHeaders(JdbcClient db, JsonMapper json, SecretBox secrets) {
        this.db = db;
        this.json = json;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "media_providers.headers";
    }

    @Override
    public Batch resealAfter(Position after, int limit) {
        List<Stored> rows = db.sql("""
                        SELECT org_id, name, headers::text AS headers FROM media_providers
                         WHERE (org_id, name) > (:afterOrg, :afterName)
                           AND EXISTS (SELECT 1 FROM jsonb_each_text(headers) h WHERE h.value NOT LIKE :current || '%')
                         ORDER BY org_id, name
                         LIMIT :limit
                        """)
                .param("afterOrg", after == null ? "" : after.orgId())
                .param("afterName", after == null ? "" : after.name())
                .param("current", secrets.currentPrefix())
                .param("limit", limit)
                .query((rs, row) -> new Stored(rs.getString("org_id"), rs.getString("name"), rs.getString("headers")))
                .list();
        int resealed = 0;
        int unreadable = 0;
        for (Stored row : rows) {
            try {
                Map<String, String> headers = new LinkedHashMap<>();
                json.readValue(row.headers(), HEADERS)
                        .forEach((header, value) -> headers.put(
                                header,
                                secrets.reseal(MediaProviders.headerContext(row.orgId(), row.name(), header), value)));
                resealed += db.sql("""
                                UPDATE media_providers SET headers = CAST(:sealed AS jsonb)
                                 WHERE org_id = :orgId AND name = :name AND headers = CAST(:stored AS jsonb)
                                """)
                        .param("sealed", json.writeValueAsString(headers))
                        .param("orgId", row.orgId())
                        .param("name", row.name())
                        .param("stored", row.headers())
                        .update();
            } catch (SecretUnreadableException e) {
                unreadable++;
            }
        }
        Stored last = rows.isEmpty() ? null : rows.getLast();
        return new Batch(last == null ? null : new Position(last.orgId(), last.name()), resealed, unreadable);
    }
}
