package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.Idempotent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator's hand on an org's templates at Meta: what the org API does, for any org. */
@RestController
@Tag(name = "Admin: templates")
@SecurityRequirement(name = "adminToken")
class TemplateManagementAdminController {

    private final Orgs orgs;
    private final TemplateLifecycle lifecycle;

    TemplateManagementAdminController(Orgs orgs, TemplateLifecycle lifecycle) {
        this.orgs = orgs;
        this.lifecycle = lifecycle;
    }

    @Idempotent
    @PostMapping("/admin/orgs/{orgId}/templates/submit")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Create a template at Meta for the org, for review (as POST /whatsapp/templates); unlike"
                    + " POST /admin/orgs/{orgId}/templates, which only registers a definition Meta already has")
    TemplateRecord submit(@PathVariable String orgId, @RequestBody TemplateLifecycle.CreateTemplateRequest request) {
        orgs.get(orgId);
        return lifecycle.create(orgId, request);
    }

    @GetMapping("/admin/orgs/{orgId}/templates/{templateName}/{language}")
    @Operation(summary = "One template of the org, in one language, with its status at Meta")
    TemplateRecord get(@PathVariable String orgId, @PathVariable String templateName, @PathVariable String language) {
        orgs.get(orgId);
        return lifecycle.get(orgId, templateName, language);
    }

    @PatchMapping("/admin/orgs/{orgId}/templates/{templateName}/{language}")
    @Operation(summary = "Edit a template of the org at Meta (as PATCH /whatsapp/templates/{templateName}/{language})")
    TemplateRecord edit(
            @PathVariable String orgId,
            @PathVariable String templateName,
            @PathVariable String language,
            @RequestBody TemplateLifecycle.EditTemplateRequest request) {
        orgs.get(orgId);
        return lifecycle.edit(orgId, templateName, language, request);
    }

    @DeleteMapping("/admin/orgs/{orgId}/templates/{templateName}")
    @Operation(summary = "Delete a template of the org at Meta, in every language")
    Map<String, List<TemplateRecord>> deleteAll(@PathVariable String orgId, @PathVariable String templateName) {
        orgs.get(orgId);
        return Map.of("deleted", lifecycle.delete(orgId, templateName, null));
    }

    @DeleteMapping("/admin/orgs/{orgId}/templates/{templateName}/{language}")
    @Operation(summary = "Delete a template of the org at Meta, in one language (by its id)")
    Map<String, List<TemplateRecord>> delete(
            @PathVariable String orgId, @PathVariable String templateName, @PathVariable String language) {
        orgs.get(orgId);
        return Map.of("deleted", lifecycle.delete(orgId, templateName, language));
    }
}
