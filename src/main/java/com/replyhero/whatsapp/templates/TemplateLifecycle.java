package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.cloudapi.GraphEndpoint;
import com.replyhero.whatsapp.cloudapi.MetaAppSettings;
import com.replyhero.whatsapp.cloudapi.WhatsAppApiException;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An org's templates managed at Meta ({@code /{waba-id}/message_templates} of the WhatsApp Business Account of the
 * org's default channel, or of the channel named): created (in review: {@code PENDING}), edited, deleted, listed. The
 * local registry follows what Meta answers here, and later what Meta's webhooks say ({@link TemplateWebhooks}).
 * Every request is checked whole before Meta is called; nothing is stored unless Meta took it.
 */
@Service
class TemplateLifecycle {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TemplateLifecycle.class);

    /** The Graph request of a template created, edited or deleted through the gateway. */
    record CreateTemplateRequest(
            String name,
            String language,
            String category,
            JsonNode components,
            String channelId,
            Boolean allowCategoryChange) {}

    record EditTemplateRequest(String category, JsonNode components) {}

    private final Orgs orgs;
    private final Templates templates;
    private final CloudApi cloudApi;
    private final GraphEndpoint endpoint;
    private final String appId;
    private final JsonMapper json;
    private final BroadcastControls controls;

    TemplateLifecycle(
            Orgs orgs,
            Templates templates,
            CloudApi cloudApi,
            GraphEndpoint endpoint,
            MetaAppSettings meta,
            JsonMapper json,
            BroadcastControls controls) {
        this.controls = controls;
        this.orgs = orgs;
        this.templates = templates;
        this.cloudApi = cloudApi;
        this.endpoint = endpoint;
        this.appId = meta.appId();
        this.json = json;
    }

    TemplateRecord create(String orgId, CreateTemplateRequest request) {
        String name = TemplateDefinitions.name(request.name());
        String language = TemplateDefinitions.language(request.language());
        String category = TemplateDefinitions.category(request.category(), true);
        TemplateDefinitions.Checked checked = TemplateDefinitions.components(request.components());
        String channelId = Require.optional(request.channelId(), "channelId", 200);
        Channel channel = channelId == null
                ? orgs.defaultChannel(orgId).orElseThrow(Channel::notConfigured)
                : orgs.channel(orgId, channelId).orElseThrow(() -> Channel.notFound("channelId"));
        String wabaId = wabaOf(channel);
        if (checked.exampleFile() != null) {
            TemplateDefinitions.ExampleFile file = checked.exampleFile();
            String handle = cloudApi.resumableUpload(channel, appId(file), file.bytes(), file.mimeType());
            ObjectNode example = json.createObjectNode();
            example.putArray("header_handle").add(handle);
            ((ObjectNode) checked.components().get(file.component())).set("example", example);
        }
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("language", language);
        body.put("category", category);
        if (request.allowCategoryChange() != null) {
            body.put("allow_category_change", request.allowCategoryChange());
        }
        body.set("components", checked.components());
        java.time.OffsetDateTime started = templates.clock();
        JsonNode answer = cloudApi.post(channel, "/" + wabaId + "/message_templates", body);
        String metaId = answer.path("id").asString(null);
        return templates.saveCreated(
                Template.fromDefinition(
                        orgId,
                        name,
                        language,
                        answer.path("status").asString("PENDING"),
                        answer.path("category").asString(category),
                        checked.components(),
                        "created"),
                metaId,
                channel.id(),
                started);
    }

    /** {@code POST /{template-id}}: new components and/or category; Meta reviews the template again. */
    TemplateRecord edit(String orgId, String name, String language, EditTemplateRequest request) {
        TemplateRecord existing = existing(orgId, name, language);
        String category = TemplateDefinitions.category(request.category(), false);
        if (category == null && request.components() == null) {
            throw ApiException.invalid("components", "an edit gives components, a category, or both");
        }
        TemplateDefinitions.Checked checked =
                request.components() == null ? null : TemplateDefinitions.components(request.components());
        if (existing.metaId() == null) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "template_not_at_meta",
                    "template " + name + " (" + language + ") has no Meta id: sync the org's templates first",
                    "templateName");
        }
        if (checked != null && checked.exampleFile() != null) {
            // an edit needs the file's handle as a create does
            Channel channel = channelOf(existing, orgId);
            TemplateDefinitions.ExampleFile file = checked.exampleFile();
            String handle = cloudApi.resumableUpload(channel, appId(file), file.bytes(), file.mimeType());
            ObjectNode example = json.createObjectNode();
            example.putArray("header_handle").add(handle);
            ((ObjectNode) checked.components().get(file.component())).set("example", example);
        }
        Channel channel = channelOf(existing, orgId);
        ObjectNode body = json.createObjectNode();
        if (category != null) {
            body.put("category", category);
        }
        if (checked != null) {
            body.set("components", checked.components());
        }
        java.time.OffsetDateTime started = templates.clock();
        cloudApi.post(channel, "/" + existing.metaId(), body);
        TemplateRecord edited = templates
                .saveEdited(
                        Template.fromDefinition(
                                orgId,
                                name,
                                language,
                                "PENDING",
                                category == null ? existing.category() : category,
                                checked == null ? existing.components() : checked.components(),
                                existing.source()),
                        started)
                .orElseThrow(() -> ApiException.notFound("template", "templateName"));
        // in review again (saved first: a resume from now on sees it): a broadcast of it would be refused until
        // Meta approves the edit
        if (!edited.status().equals("APPROVED")) {
            controls.pauseTemplate(
                    orgId,
                    name,
                    language,
                    "template " + name + " (" + language + ") was edited and is in review at Meta; resume it once"
                            + " approved");
        }
        return edited;
    }

    /**
     * Deletes the template at Meta and here: in one language ({@code DELETE ?hsm_id=&name=}), or in every language
     * when {@code language} is null ({@code DELETE ?name=}). Answers the templates deleted.
     */
    List<TemplateRecord> delete(String orgId, String name, String language) {
        List<TemplateRecord> known = language == null
                ? templates.records(orgId, name, null, 1000)
                : List.of(existing(orgId, name, language));
        if (known.isEmpty()) {
            throw ApiException.notFound("template", "templateName");
        }
        TemplateRecord first = known.getFirst();
        Channel channel = channelOf(first, orgId);
        String query = "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        if (language != null) {
            if (first.metaId() == null) {
                throw new ApiException(
                        HttpStatus.CONFLICT,
                        "template_not_at_meta",
                        "template " + name + " (" + language + ") has no Meta id: sync the org's templates first",
                        "language");
            }
            query += "&hsm_id=" + URLEncoder.encode(first.metaId(), StandardCharsets.UTF_8);
        }
        try {
            cloudApi.delete(channel, "/" + wabaOf(channel) + "/message_templates" + query);
        } catch (WhatsAppApiException e) {
            if (e.retryable() || stillAtMeta(channel, name, language == null ? null : first.metaId())) {
                throw e;
            }
            // deleted at Meta already (in WhatsApp Manager, or a delete whose answer was lost): removed here too
            log.info("Template {} of org {} is no longer at Meta; deleting it here", name, orgId);
        }
        templates.delete(orgId, name, language);
        // none of its broadcasts can ever be sent (a template made anew under the name is another template)
        controls.cancelTemplate(
                orgId,
                name,
                language,
                "template " + name + (language == null ? "" : " (" + language + ")")
                        + " was deleted; its broadcast cannot be sent");
        return known;
    }

    /** Whether Meta still lists the template of this name (and id, when given) in the channel's account. */
    private boolean stillAtMeta(Channel channel, String name, String metaId) {
        JsonNode listed = cloudApi.get(
                channel,
                "/" + wabaOf(channel) + "/message_templates?fields=id,name,language&limit=100&name="
                        + URLEncoder.encode(name, StandardCharsets.UTF_8));
        for (JsonNode t : listed.path("data")) {
            if (name.equals(t.path("name").asString(null))
                    && (metaId == null || metaId.equals(t.path("id").asString(null)))) {
                return true;
            }
        }
        return false;
    }

    List<TemplateRecord> list(String orgId, String name, String status, int limit) {
        return templates.records(orgId, name, TemplateDefinitions.status(status), limit);
    }

    TemplateRecord get(String orgId, String name, String language) {
        return existing(orgId, name, language);
    }

    private TemplateRecord existing(String orgId, String name, String language) {
        return templates
                .record(orgId, name, language)
                .orElseThrow(() -> ApiException.notFound("template", "templateName"));
    }

    /** The channel whose WhatsApp Business Account holds the template: the one it was created on, or the default. */
    private Channel channelOf(TemplateRecord template, String orgId) {
        return orgs.channelOrDefault(orgId, template.channelId()).orElseThrow(Channel::notConfigured);
    }

    private static String wabaOf(Channel channel) {
        if (channel.wabaId() == null || channel.wabaId().isBlank()) {
            throw ApiException.invalid(
                    "channelId",
                    "the channel has no wabaId: templates live in a WhatsApp Business"
                            + " Account (PUT /admin/orgs/{orgId}/channel with wabaId)");
        }
        return channel.wabaId();
    }

    private String appId(TemplateDefinitions.ExampleFile file) {
        if (appId != null && !appId.isBlank()) {
            return appId;
        }
        if (endpoint.usesSandbox()) {
            return "sandbox-app";
        }
        throw ApiException.invalid(
                "components[" + file.component() + "].example.header_file",
                "the gateway has no Meta app id (RH_META_APP_ID) to upload an example to; give"
                        + " example.header_handle instead");
    }
}
