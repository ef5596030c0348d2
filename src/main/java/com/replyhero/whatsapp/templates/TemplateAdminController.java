package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The operator's view of an org's templates: register one by Meta's definition, list, sync from the Cloud API. */
@RestController
@Tag(name = "Admin: templates")
@SecurityRequirement(name = "adminToken")
class TemplateAdminController {

    private static final Set<String> COMPONENT_TYPES = Set.of("HEADER", "BODY", "FOOTER", "BUTTONS");
    private static final Set<String> HEADER_FORMATS = Set.of("TEXT", "IMAGE", "DOCUMENT", "VIDEO", "LOCATION");
    private static final Set<String> BUTTON_TYPES =
            Set.of("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "CATALOG", "MPM", "VOICE_CALL");

    private final Orgs orgs;
    private final Templates templates;
    private final TemplateSync sync;
    private final TemplateLifecycle lifecycle;

    TemplateAdminController(Orgs orgs, Templates templates, TemplateSync sync, TemplateLifecycle lifecycle) {
        this.orgs = orgs;
        this.templates = templates;
        this.sync = sync;
        this.lifecycle = lifecycle;
    }

    /** Meta's template definition: {@code name}, {@code language}, {@code components}. */
    record RegisterTemplateRequest(String name, String language, String category, String status, JsonNode components) {}

    record TemplateView(
            String name,
            String language,
            String status,
            String category,
            JsonNode components,
            String headerFormat,
            int headerParameters,
            int bodyParameters,
            List<ButtonView> buttons,
            String source) {

        static TemplateView of(Template t) {
            return new TemplateView(
                    t.name(),
                    t.language(),
                    t.status(),
                    t.category(),
                    t.components(),
                    t.headerFormat(),
                    t.headerParams(),
                    t.bodyParams(),
                    t.buttons().stream().map(ButtonView::of).toList(),
                    t.source());
        }
    }

    /**
     * A button of the template and what a send gives it: {@code subType} and {@code parameter} (null: nothing, the
     * button is sent as defined), {@code required} when a send must give it.
     */
    record ButtonView(int index, String type, String text, String subType, String parameter, boolean required) {

        static ButtonView of(Template.Button b) {
            String subType = b.subType();
            String parameter = subType == null
                    ? null
                    : switch (subType) {
                        case "quick_reply" -> "payload";
                        case "copy_code" -> "coupon_code";
                        default -> "text";
                    };
            return new ButtonView(b.index(), b.type(), b.text(), subType, parameter, b.needsParameter());
        }
    }

    @Idempotent
    @PostMapping("/admin/orgs/{orgId}/templates")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Register a template the org has on Meta (Meta's own definition), so sends are checked"
                    + " against it: name, language, components such as {\"type\": \"HEADER\", \"format\": \"IMAGE\"}"
                    + " and {\"type\": \"BODY\", \"text\": \"Hi {{1}}, see {{2}}\"}; a FOOTER and BUTTONS"
                    + " (QUICK_REPLY, URL with an optional {{1}} suffix, PHONE_NUMBER, COPY_CODE, OTP) are kept, and"
                    + " sends are checked against them")
    TemplateView register(@PathVariable String orgId, @RequestBody RegisterTemplateRequest request) {
        orgs.get(orgId);
        String name = Require.text(request.name(), "name", 512);
        if (!name.matches("[a-zA-Z0-9_]+")) {
            throw ApiException.invalid("name", "name must be letters, digits and underscores, as on Meta");
        }
        String language = Require.text(request.language(), "language", 20);
        JsonNode components = request.components();
        if (components == null || !components.isArray() || components.isEmpty()) {
            throw ApiException.invalid("components", "components must be a non-empty array of Meta's components");
        }
        boolean hasBody = false;
        for (int i = 0; i < components.size(); i++) {
            JsonNode c = components.get(i);
            String type = c.path("type").asString("").toUpperCase(Locale.ROOT);
            if (!COMPONENT_TYPES.contains(type)) {
                throw ApiException.invalid(
                        "components[" + i + "].type", "type must be one of HEADER, BODY, FOOTER, BUTTONS");
            }
            if (type.equals("HEADER")
                    && !HEADER_FORMATS.contains(
                            c.path("format").asString("TEXT").toUpperCase(Locale.ROOT))) {
                throw ApiException.invalid(
                        "components[" + i + "].format", "format must be one of TEXT, IMAGE, DOCUMENT, VIDEO, LOCATION");
            }
            if (type.equals("BODY")) {
                hasBody = true;
                Require.text(c.path("text").asString(null), "components[" + i + "].text", 32768);
            }
            if (type.equals("FOOTER")) {
                Require.text(c.path("text").asString(null), "components[" + i + "].text", 60);
            }
            if (type.equals("BUTTONS")) {
                checkButtons(c.path("buttons"), "components[" + i + "].buttons");
            }
        }
        if (!hasBody) {
            throw ApiException.invalid("components", "a template has a BODY component");
        }
        return TemplateView.of(templates.save(Template.fromDefinition(
                orgId,
                name,
                language,
                request.status() == null ? "APPROVED" : request.status(),
                request.category(),
                components,
                "registered")));
    }

    /** Meta's rules for a template's buttons: 1 to 10, each of a known type with its text, a URL button's url. */
    static void checkButtons(JsonNode buttons, String field) {
        if (!buttons.isArray() || buttons.isEmpty() || buttons.size() > 10) {
            throw ApiException.invalid(field, field + " must be an array of 1 to 10 buttons");
        }
        for (int b = 0; b < buttons.size(); b++) {
            JsonNode button = buttons.get(b);
            String at = field + "[" + b + "]";
            String type = button.path("type").asString("").toUpperCase(Locale.ROOT);
            if (!BUTTON_TYPES.contains(type)) {
                throw ApiException.invalid(
                        at + ".type",
                        at + ".type must be one of "
                                + String.join(
                                        ", ", BUTTON_TYPES.stream().sorted().toList()));
            }
            if (!type.equals("OTP") && !type.equals("COPY_CODE")) {
                Require.text(button.path("text").asString(null), at + ".text", 25);
            }
            if (type.equals("URL")) {
                String url = Require.text(button.path("url").asString(null), at + ".url", 2000);
                if (!url.matches("(?i)https?://\\S+")) {
                    throw ApiException.invalid(at + ".url", at + ".url must be an http or https URL");
                }
            }
            if (type.equals("PHONE_NUMBER")) {
                Require.text(button.path("phone_number").asString(null), at + ".phone_number", 20);
            }
        }
    }

    @GetMapping("/admin/orgs/{orgId}/templates")
    @Operation(
            summary = "The templates the gateway knows for the org, with their status at Meta (status, reason,"
                    + " quality score, Meta's id); of one name or status when given")
    Page<TemplateRecord> list(
            @PathVariable String orgId,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit) {
        orgs.get(orgId);
        return Page.of(lifecycle.list(orgId, name, status, Page.limit(limit, 500, 5000)));
    }

    @Idempotent
    @PostMapping("/admin/orgs/{orgId}/templates/sync")
    @Operation(summary = "Copy the org's templates from the Cloud API (GET /{waba-id}/message_templates)")
    Map<String, Integer> sync(@PathVariable String orgId) {
        orgs.get(orgId);
        Channel channel = orgs.defaultChannel(orgId).orElseThrow(() -> ApiException.notFound("channel", null));
        if (channel.wabaId() == null || channel.wabaId().isBlank()) {
            throw ApiException.invalid("wabaId", "the org's channel has no wabaId to sync templates from");
        }
        return Map.of("synced", sync.sync(channel));
    }
}
