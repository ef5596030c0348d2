package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.events.OrgEvents;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Meta's template webhooks, applied to the registry of every org whose channel is on the WhatsApp Business Account
 * that {@code entry[].id} names: {@code message_template_status_update} (the review's outcome, a pause, a disabling;
 * each change sends {@code template.status} to the org), {@code message_template_quality_update} and
 * {@code template_category_update}. Idempotent: Meta sends a webhook more than once, and a status already applied
 * changes nothing and sends no event.
 */
@Component
public class TemplateWebhooks {

    public static final String STATUS_UPDATE = "message_template_status_update";
    public static final String QUALITY_UPDATE = "message_template_quality_update";
    public static final String CATEGORY_UPDATE = "template_category_update";
    public static final Set<String> FIELDS = Set.of(STATUS_UPDATE, QUALITY_UPDATE, CATEGORY_UPDATE);

    private static final Logger log = LoggerFactory.getLogger(TemplateWebhooks.class);

    private final Orgs orgs;
    private final Templates templates;
    private final OrgEvents events;
    private final JsonMapper json;
    private final BroadcastControls controls;

    TemplateWebhooks(Orgs orgs, Templates templates, OrgEvents events, JsonMapper json, BroadcastControls controls) {
        this.controls = controls;
        this.orgs = orgs;
        this.templates = templates;
        this.events = events;
        this.json = json;
    }

    /** Only an APPROVED template can be sent: 400 naming the template and its status otherwise. */
    static void requireApproved(Template template) {
        requireApproved(template.name(), template.language(), template.status());
    }

    /** Only an APPROVED template can be sent: 400 naming the template and its status ({@code status}) otherwise. */
    static void requireApproved(String name, String language, String status) {
        if (!"APPROVED".equals(status)) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "template_not_approved",
                    "template " + name + " (" + language + ") is " + status
                            + " at Meta; only an APPROVED template can be sent",
                    "templateName");
        }
    }

    /**
     * Applies one change of a WhatsApp Business Account webhook of Meta's {@code time} ({@code entry[].time}), in the
     * caller's transaction; answers a note when it was for no org or no template the gateway knows, else null.
     */
    public String apply(String wabaId, String field, JsonNode value, java.time.Instant time) {
        Set<String> orgIds = new LinkedHashSet<>();
        for (Channel channel : orgs.channelsByWabaId(wabaId)) {
            orgIds.add(channel.orgId());
        }
        if (orgIds.isEmpty()) {
            return "no org has waba_id " + wabaId;
        }
        String metaId = value.path("message_template_id").asString(null);
        String name = value.path("message_template_name").asString(null);
        String language = value.path("message_template_language").asString(null);
        if (field.equals(STATUS_UPDATE)
                && statusOf(value) != null
                && orgIds.stream().noneMatch(orgId -> templates.known(orgId, metaId, name, language))) {
            throw new TemplateNotKnownYet(name, language);
        }
        int applied = 0;
        for (String orgId : orgIds) {
            applied += switch (field) {
                case STATUS_UPDATE -> status(orgId, metaId, name, language, value, time);
                case QUALITY_UPDATE ->
                    QUALITY_SCORES.contains(value.path("new_quality_score").asString(""))
                            ? templates.changeQuality(
                                    orgId,
                                    metaId,
                                    name,
                                    language,
                                    value.path("new_quality_score").asString())
                            : 0;
                case CATEGORY_UPDATE ->
                    CATEGORIES.contains(value.path("new_category").asString(""))
                            ? templates.changeCategory(
                                    orgId,
                                    metaId,
                                    name,
                                    language,
                                    value.path("new_category").asString())
                            : 0;
                default -> 0;
            };
        }
        return applied == 0 ? field + " for template " + name + " (" + language + ") changed nothing" : null;
    }

    /** The statuses Meta gives a template, as its webhook's {@code event} names them. */
    static final Set<String> STATUSES = Set.of(
            "APPROVED",
            "REJECTED",
            "PENDING",
            "PAUSED",
            "DISABLED",
            "IN_APPEAL",
            "PENDING_DELETION",
            "DELETED",
            "ARCHIVED",
            "LIMIT_EXCEEDED");

    /** Meta's quality scores of a template and its categories: anything else in a webhook changes nothing. */
    private static final Set<String> QUALITY_SCORES = Set.of("GREEN", "YELLOW", "RED", "UNKNOWN");

    private static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");

    /** Events that make a template sendable again. */
    private static final Set<String> APPROVED_AGAIN = Set.of("REINSTATED", "UNARCHIVED");

    /** The longest reason kept (Meta's are a few words; a longer one is cut). */
    static final int MAX_REASON = 1000;

    /**
     * A template webhook named a template this org does not have (yet): left unprocessed, and tried again with the
     * webhooks that failed ({@code rh.meta-webhooks.retry-interval}, up to 20 times): a review can be faster than
     * Meta's answer to the create that asked for it reaching the gateway.
     */
    static final class TemplateNotKnownYet extends RuntimeException {
        TemplateNotKnownYet(String name, String language) {
            super("template " + name + " (" + language + ") is not known yet; the webhook will be tried again");
        }
    }

    /**
     * The status a status webhook gives its template, or null: FLAGGED (its quality dropped: still APPROVED), LOCKED,
     * UNLOCKED and events Meta adds later change no status.
     */
    private static String statusOf(JsonNode value) {
        String event = value.path("event").asString("").toUpperCase(Locale.ROOT);
        String status = APPROVED_AGAIN.contains(event) ? "APPROVED" : event;
        return STATUSES.contains(status) ? status : null;
    }

    private int status(
            String orgId, String metaId, String name, String language, JsonNode value, java.time.Instant time) {
        String status = statusOf(value);
        if (status == null) {
            return 0;
        }
        String reason = value.path("reason").asString(null);
        if (reason != null && (reason.isBlank() || reason.equalsIgnoreCase("NONE"))) {
            reason = null;
        }
        if (reason != null && reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
        var changes = templates.changeStatus(orgId, metaId, name, language, status, reason, time);
        for (Templates.StatusChange change : changes) {
            TemplateRecord t = change.template();
            log.info(
                    "Template {} ({}) of org {}: {} -> {}{}",
                    t.name(),
                    t.language(),
                    orgId,
                    change.previous(),
                    t.status(),
                    reason == null ? "" : " (" + reason + ")");
            ObjectNode data = json.createObjectNode();
            data.put("name", t.name());
            data.put("language", t.language());
            data.put("status", t.status());
            data.put("previousStatus", change.previous());
            data.put("reason", t.reason());
            data.put("category", t.category());
            data.put("metaId", t.metaId());
            data.put("channelId", t.channelId());
            events.publish(orgId, OrgEvents.TEMPLATE_STATUS, "template:" + t.name(), data);
            if (t.status().equals("DELETED")) {
                // gone at Meta: none of its broadcasts can ever be sent
                controls.cancelTemplate(
                        orgId,
                        t.name(),
                        t.language(),
                        "Meta deleted template " + t.name() + " (" + t.language() + "); its broadcast cannot be sent");
            } else if (!t.status().equals("APPROVED")) {
                // every further send of it would be refused (132015, 132016, 132001...), each costing the number
                // quality
                int paused = controls.pauseTemplate(
                        orgId,
                        t.name(),
                        t.language(),
                        "Meta set template " + t.name() + " (" + t.language() + ") " + t.status()
                                + (reason == null ? "" : ": " + reason)
                                + "; resume it once the template is approved again");
                if (paused > 0) {
                    log.info("Paused {} broadcast(s) of template {} of org {}", paused, t.name(), orgId);
                }
            }
        }
        return changes.size();
    }
}
