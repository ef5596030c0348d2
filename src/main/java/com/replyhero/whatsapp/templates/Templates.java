package com.replyhero.whatsapp.templates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The templates each org may send, per name and language: the local registry, which mirrors Meta (status, a
 * rejection's reason, quality score, Meta's id) for templates created through the gateway or synced.
 */
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

    /**
     * The template's status, its row locked against a status change until the caller's transaction ends: a resume or
     * a new broadcast that reads APPROVED here commits before a webhook's pause can apply (and that pause then finds
     * the broadcast). Empty when the org has no such template.
     */
    Optional<String> lockedStatus(String orgId, String name, String language) {
        return db.sql("""
                        SELECT status FROM templates
                         WHERE org_id = :orgId AND name = :name AND language = :language
                           FOR SHARE
                        """)
                .param("orgId", orgId)
                .param("name", name)
                .param("language", language)
                .query(String.class)
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

    /** The database's clock now: when a call to Meta starts, to tell the webhooks that came during it. */
    java.time.OffsetDateTime clock() {
        return db.sql("SELECT clock_timestamp()")
                .query(java.time.OffsetDateTime.class)
                .single();
    }

    /**
     * A template created at Meta through the gateway, as Meta answered it (its id and first status). A status that
     * Meta's webhook set after {@code started} (a review faster than Meta's answer reached us) is kept.
     */
    TemplateRecord saveCreated(Template t, String metaId, String channelId, java.time.OffsetDateTime started) {
        return db.sql("""
                        INSERT INTO templates (org_id, name, language, status, category, components, header_format,
                                               header_params, body_params, source, meta_id, channel_id)
                        VALUES (:orgId, :name, :language, :status, :category, :components::jsonb, :headerFormat,
                                :headerParams, :bodyParams, 'created', :metaId, :channelId)
                        ON CONFLICT (org_id, name, language) DO UPDATE
                           SET status = CASE WHEN templates.status_at > :started AND templates.meta_id = excluded.meta_id
                                             THEN templates.status ELSE excluded.status END,
                               reason = CASE WHEN templates.status_at > :started AND templates.meta_id = excluded.meta_id
                                             THEN templates.reason END,
                               category = excluded.category,
                               components = excluded.components, header_format = excluded.header_format,
                               header_params = excluded.header_params, body_params = excluded.body_params,
                               source = excluded.source, meta_id = excluded.meta_id,
                               channel_id = excluded.channel_id, quality_score = NULL,
                               updated_at = now()
                        RETURNING *
                        """)
                .param("started", started)
                .param("orgId", t.orgId())
                .param("name", t.name())
                .param("language", t.language())
                .param("status", t.status())
                .param("category", t.category())
                .param("components", json.writeValueAsString(t.components()))
                .param("headerFormat", t.headerFormat())
                .param("headerParams", t.headerParams())
                .param("bodyParams", t.bodyParams())
                .param("metaId", metaId)
                .param("channelId", channelId)
                .query(this::record)
                .single();
    }

    /** What a sync read from Meta: the definition and status, with Meta's id and quality score. */
    void saveSynced(Template t, String metaId, String qualityScore) {
        db.sql("""
                        INSERT INTO templates (org_id, name, language, status, category, components, header_format,
                                               header_params, body_params, source, meta_id, quality_score)
                        VALUES (:orgId, :name, :language, :status, :category, :components::jsonb, :headerFormat,
                                :headerParams, :bodyParams, :source, :metaId, :quality)
                        ON CONFLICT (org_id, name, language) DO UPDATE
                           SET status = excluded.status, category = excluded.category,
                               components = excluded.components, header_format = excluded.header_format,
                               header_params = excluded.header_params, body_params = excluded.body_params,
                               meta_id = coalesce(excluded.meta_id, templates.meta_id),
                               quality_score = coalesce(excluded.quality_score, templates.quality_score),
                               source = CASE WHEN templates.source = 'created' THEN 'created' ELSE excluded.source END,
                               updated_at = now()
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
                .param("metaId", metaId)
                .param("quality", qualityScore)
                .update();
    }

    /**
     * An edit Meta took: the new definition (and category), in review again, unless Meta's webhook already told the
     * review's outcome after {@code started}.
     */
    Optional<TemplateRecord> saveEdited(Template t, java.time.OffsetDateTime started) {
        return db.sql("""
                        UPDATE templates
                           SET status = CASE WHEN status_at > :started THEN status ELSE :status END,
                               reason = CASE WHEN status_at > :started THEN reason END,
                               category = :category, components = :components::jsonb,
                               header_format = :headerFormat, header_params = :headerParams,
                               body_params = :bodyParams, updated_at = now()
                         WHERE org_id = :orgId AND name = :name AND language = :language
                        RETURNING *
                        """)
                .param("started", started)
                .param("orgId", t.orgId())
                .param("name", t.name())
                .param("language", t.language())
                .param("status", t.status())
                .param("category", t.category())
                .param("components", json.writeValueAsString(t.components()))
                .param("headerFormat", t.headerFormat())
                .param("headerParams", t.headerParams())
                .param("bodyParams", t.bodyParams())
                .query(this::record)
                .optional();
    }

    Optional<TemplateRecord> record(String orgId, String name, String language) {
        return db.sql("SELECT * FROM templates WHERE org_id = :orgId AND name = :name AND language = :language")
                .param("orgId", orgId)
                .param("name", name)
                .param("language", language)
                .query(this::record)
                .optional();
    }

    /** The org's templates of one name (every language), or all of them; of one status when given. */
    List<TemplateRecord> records(String orgId, String name, String status, int limit) {
        return db.sql("""
                        SELECT * FROM templates
                         WHERE org_id = :orgId
                           AND (CAST(:name AS text) IS NULL OR name = :name)
                           AND (CAST(:status AS text) IS NULL OR status = :status)
                         ORDER BY name, language
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("name", name)
                .param("status", status)
                .param("limit", limit)
                .query(this::record)
                .list();
    }

    /** Removes the org's template of this name in one language, or in every language (null). */
    int delete(String orgId, String name, String language) {
        return db.sql("""
                        DELETE FROM templates
                         WHERE org_id = :orgId AND name = :name
                           AND (CAST(:language AS text) IS NULL OR language = :language)
                        """)
                .param("orgId", orgId)
                .param("name", name)
                .param("language", language)
                .update();
    }

    /**
     * A template named by one of Meta's webhooks: by Meta's id; by name and language only when one side has no id
     * (a template registered here, or a webhook without one): a template of the same name with another id is
     * another template (another WhatsApp Business Account's, or one deleted and made anew).
     */
    private static final String NAMED = """
            org_id = :orgId
            AND (meta_id = :metaId
                 OR (name = :name AND language = :language AND (meta_id IS NULL OR CAST(:metaId AS text) IS NULL)))""";

    /** Whether the org has the template a webhook names. */
    boolean known(String orgId, String metaId, String name, String language) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM templates WHERE " + NAMED + ")")
                .param("orgId", orgId)
                .param("metaId", metaId)
                .param("name", name)
                .param("language", language)
                .query(Boolean.class)
                .single();
    }

    /**
     * Meta's review or enforcement changed a template's status at {@code eventTime} (the webhook's time): answers the
     * templates whose status this changed, with their previous status (none when it was already so: Meta sends a
     * webhook more than once; none when a webhook of a later time was applied already).
     */
    List<StatusChange> changeStatus(
            String orgId,
            String metaId,
            String name,
            String language,
            String status,
            String reason,
            java.time.Instant eventTime) {
        // every template it names takes the time (a create or an edit answered later keeps it), only a change is
        // answered
        return db.sql("""
                        WITH changed AS (
                            UPDATE templates t
                               SET status = :status, reason = :reason, status_at = clock_timestamp(),
                                   status_event_time = :eventTime,
                                   updated_at = CASE WHEN t.status IS DISTINCT FROM :status THEN now()
                                                     ELSE t.updated_at END
                              FROM (SELECT org_id, name, language, status AS previous
                                      FROM templates
                                     WHERE %s
                                       FOR UPDATE) p
                             WHERE t.org_id = p.org_id AND t.name = p.name AND t.language = p.language
                               AND (t.status_event_time IS NULL OR t.status_event_time <= :eventTime)
                            RETURNING t.*, p.previous
                        )
                        SELECT * FROM changed WHERE previous IS DISTINCT FROM :status
                        """.formatted(NAMED))
                .param("orgId", orgId)
                .param("metaId", metaId)
                .param("name", name)
                .param("language", language)
                .param("status", status)
                .param("reason", reason)
                .param("eventTime", java.sql.Timestamp.from(eventTime))
                .query((rs, row) -> new StatusChange(record(rs, row), rs.getString("previous")))
                .list();
    }

    /** A template's status changed from {@code previous}. */
    record StatusChange(TemplateRecord template, String previous) {}

    /** Meta's quality score of a template (GREEN, YELLOW, RED, UNKNOWN). */
    int changeQuality(String orgId, String metaId, String name, String language, String score) {
        return db.sql("UPDATE templates SET quality_score = :score, updated_at = now() WHERE " + NAMED)
                .param("orgId", orgId)
                .param("metaId", metaId)
                .param("name", name)
                .param("language", language)
                .param("score", score)
                .update();
    }

    /** Meta moved a template to another category. */
    int changeCategory(String orgId, String metaId, String name, String language, String category) {
        return db.sql("UPDATE templates SET category = :category, updated_at = now() WHERE " + NAMED)
                .param("orgId", orgId)
                .param("metaId", metaId)
                .param("name", name)
                .param("language", language)
                .param("category", category)
                .update();
    }

    private TemplateRecord record(ResultSet rs, int row) throws SQLException {
        Timestamp updated = rs.getTimestamp("updated_at");
        return TemplateRecord.of(
                template(rs, row),
                rs.getString("meta_id"),
                rs.getString("channel_id"),
                rs.getString("reason"),
                rs.getString("quality_score"),
                updated == null ? null : updated.toInstant());
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
