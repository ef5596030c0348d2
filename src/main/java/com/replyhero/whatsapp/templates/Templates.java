package com.replyhero.whatsapp.templates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The templates each org may send, per name and language. */
@Repository
public class Templates {

    private final JdbcClient db;
    private final JsonMapper json;

    Templates(JdbcClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Template save(Template t) {
        return db.sql("""
                        INSERT INTO templates (org_id, name, language, status, category, components, header_format,
                                               header_params, body_params, source)
                        VALUES (:orgId, :name, :language, :status, :category, :components::jsonb, :headerFormat,
                                :headerParams, :bodyParams, :source)
                        ON CONFLICT (org_id, name, language) DO UPDATE
                           SET status = excluded.status, category = excluded.category,
                               components = excluded.components, header_format = excluded.header_format,
                               header_params = excluded.header_params, body_params = excluded.body_params,
                               source = excluded.source, updated_at = now()
                        RETURNING *
                        """)
                .param("orgId", t.orgId())
                .param("name", t.name())
                .param("language", t.language())
                .param("status", t.status())
                .param("category", t.category())
                .param("components", json.writeValueAsString(t.components()))
                .param("headerFormat", t.headerFormat())
                .param("headerParams", t.headerParams())
                .param("bodyParams", t.bodyParams())
                .param("source", t.source())
                .query(this::template)
                .single();
    }

    public Optional<Template> find(String orgId, String name, String language) {
        return db.sql("SELECT * FROM templates WHERE org_id = :orgId AND name = :name AND language = :language")
                .param("orgId", orgId)
                .param("name", name)
                .param("language", language)
                .query(this::template)
                .optional();
    }

    /** The languages the org has this template in. */
    public List<String> languages(String orgId, String name) {
        return db.sql("SELECT language FROM templates WHERE org_id = :orgId AND name = :name ORDER BY language")
                .param("orgId", orgId)
                .param("name", name)
                .query(String.class)
                .list();
    }

    public List<Template> list(String orgId, int limit) {
        return db.sql("SELECT * FROM templates WHERE org_id = :orgId ORDER BY name, language LIMIT :limit")
                .param("orgId", orgId)
                .param("limit", limit)
                .query(this::template)
                .list();
    }

    private Template template(ResultSet rs, int row) throws SQLException {
        return Template.fromDefinition(
                rs.getString("org_id"),
                rs.getString("name"),
                rs.getString("language"),
                rs.getString("status"),
                rs.getString("category"),
                json.readTree(rs.getString("components")),
                rs.getString("source"));
    }
}
