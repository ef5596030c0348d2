package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.secrets.SecretBox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** An org's media providers: named sets of headers for downloading links that need credentials. */
@Repository
public class MediaProviders {

    /** A provider: its name and the headers sent with its downloads. */
    public record MediaProvider(String orgId, String name, Map<String, String> headers) {

        @Override
        public String toString() {
            // never print the credentials
            return "MediaProvider[orgId=" + orgId + ", name=" + name + ", headers=" + headers.keySet() + "]";
        }
    }

    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient db;
    private final JsonMapper json;
    private final SecretBox secrets;

    MediaProviders(JdbcClient db, JsonMapper json, SecretBox secrets) {
        this.db = db;
        this.json = json;
        this.secrets = secrets;
    }

    public MediaProvider save(MediaProvider provider) {
        db.sql("""
                        INSERT INTO media_providers (org_id, name, headers)
                        VALUES (:orgId, :name, CAST(:headers AS jsonb))
                        ON CONFLICT (org_id, name) DO UPDATE SET headers = excluded.headers, updated_at = now()
                        """)
                .param("orgId", provider.orgId())
                .param("name", provider.name())
                .param("headers", json.writeValueAsString(sealed(provider)))
                .update();
        return provider;
    }

    public Optional<MediaProvider> find(String orgId, String name) {
        return db.sql("SELECT org_id, name, headers::text AS headers FROM media_providers"
                        + " WHERE org_id = :orgId AND name = :name")
                .param("orgId", orgId)
                .param("name", name)
                .query((rs, row) -> provider(rs.getString("org_id"), rs.getString("name"), rs.getString("headers")))
                .optional();
    }

    public List<MediaProvider> list(String orgId) {
        return db.sql("SELECT org_id, name, headers::text AS headers FROM media_providers"
                        + " WHERE org_id = :orgId ORDER BY name")
                .param("orgId", orgId)
                .query((rs, row) -> provider(rs.getString("org_id"), rs.getString("name"), rs.getString("headers")))
                .list();
    }

    public boolean delete(String orgId, String name) {
        return db.sql("DELETE FROM media_providers WHERE org_id = :orgId AND name = :name")
                        .param("orgId", orgId)
                        .param("name", name)
                        .update()
                > 0;
    }

    /** The header values sealed (names stay readable: the listing shows them). */
    private Map<String, String> sealed(MediaProvider provider) {
        Map<String, String> sealed = new LinkedHashMap<>();
        provider.headers()
                .forEach((header, value) -> sealed.put(
                        header, secrets.seal(headerContext(provider.orgId(), provider.name(), header), value)));
        return sealed;
    }

    private MediaProvider provider(String orgId, String name, String headers) {
        Map<String, String> opened = new LinkedHashMap<>();
        json.readValue(headers, HEADERS)
                .forEach(
                        (header, value) -> opened.put(header, secrets.open(headerContext(orgId, name, header), value)));
        return new MediaProvider(orgId, name, opened);
    }

    /** Where a header value is sealed to: its org, provider and header name. */
    static String headerContext(String orgId, String name, String header) {
        return "media_providers.headers/" + orgId + "/" + name + "/" + header;
    }
}
