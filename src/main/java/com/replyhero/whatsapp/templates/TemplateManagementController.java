package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The org's templates at Meta, from the org's backend: create, edit, delete, list with status. */
@RestController
@Tag(name = "Templates")
@SecurityRequirement(name = "apiKey")
class TemplateManagementController {

    static final String CREATE_EXAMPLE = """
            {
              "name": "spring_sale",
              "language": "en_US",
              "category": "MARKETING",
              "components": [
                {
                  "type": "HEADER",
                  "format": "IMAGE",
                  "example": {"header_file": {"type": "image/png", "data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="}}
                },
                {
                  "type": "BODY",
                  "text": "Hi {{1}}, our spring sale starts today: {{2}}",
                  "example": {"body_text": [["Ann", "https://replyhero.io/"]]}
                },
                {"type": "FOOTER", "text": "Reply STOP to opt out"}
              ]
            }""";

    private final TemplateLifecycle lifecycle;
    private final TemplateSync sync;
    private final com.replyhero.whatsapp.orgs.Orgs orgs;

    TemplateManagementController(
            TemplateLifecycle lifecycle, TemplateSync sync, com.replyhero.whatsapp.orgs.Orgs orgs) {
        this.lifecycle = lifecycle;
        this.sync = sync;
        this.orgs = orgs;
    }

    @RequiresScope(Scope.MANAGE_TEMPLATES)
    @Idempotent
    @PostMapping("/whatsapp/templates/sync")
    @Operation(
            summary = "Copy the org's templates from Meta (GET /{waba-id}/message_templates of each of its accounts)",
            description = "Brings every template of the WhatsApp Business Accounts of the org's channels, with"
                    + " status, quality score and Meta's id, into the registry. Answers how many were read. A channel"
                    + " without a wabaId has none to sync.")
    Map<String, Integer> sync(Caller caller) {
        java.util.Set<String> accounts = new java.util.HashSet<>();
        int synced = 0;
        for (com.replyhero.whatsapp.orgs.Channel channel : orgs.channels(caller.orgId())) {
            if (channel.wabaId() != null && !channel.wabaId().isBlank() && accounts.add(channel.wabaId())) {
                synced += sync.sync(channel);
            }
        }
        return Map.of("synced", synced);
    }

    @RequiresScope(Scope.MANAGE_TEMPLATES)
    @Idempotent
    @PostMapping("/whatsapp/templates")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Create a template at Meta, for review (POST /{waba-id}/message_templates)",
            description = "Meta's definition: name (^[a-z0-9_]{1,512}$), language, category (MARKETING, UTILITY,"
                    + " AUTHENTICATION) and components, with an example for every variable (example.body_text,"
                    + " example.header_text, a URL button's example). A media header's example: example.header_file"
                    + " {type, data: base64}, which the gateway uploads through Meta's Resumable Upload API for its"
                    + " header_handle, or example.header_handle when you uploaded it yourself. The template goes to"
                    + " the WhatsApp Business Account of the org's default channel, or of channelId. Answers the"
                    + " template as PENDING; Meta's review (APPROVED, or REJECTED with a reason) arrives by webhook,"
                    + " changes the registry and sends template.status to the org's webhook. Only an APPROVED"
                    + " template can be sent. A bad request is 400 naming the field; nothing is sent to Meta.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema =
                                                    @Schema(
                                                            implementation =
                                                                    TemplateLifecycle.CreateTemplateRequest.class),
                                            examples =
                                                    @ExampleObject(
                                                            name = "image header, body with two variables",
                                                            value = CREATE_EXAMPLE))),
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        content = @Content(schema = @Schema(implementation = TemplateRecord.class))),
                @ApiResponse(
                        responseCode = "400",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))
            })
    TemplateRecord create(Caller caller, @RequestBody TemplateLifecycle.CreateTemplateRequest request) {
        return lifecycle.create(caller.orgId(), request);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/templates")
    @Operation(summary = "The org's templates with their status at Meta (status, reason, quality score, Meta's id)")
    Page<TemplateRecord> list(
            Caller caller,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit) {
        return Page.of(lifecycle.list(caller.orgId(), name, status, Page.limit(limit, 500, 5000)));
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/templates/{templateName}/{language}")
    @Operation(summary = "One template of the org, in one language, with its status at Meta")
    TemplateRecord get(Caller caller, @PathVariable String templateName, @PathVariable String language) {
        return lifecycle.get(caller.orgId(), templateName, language);
    }

    @RequiresScope(Scope.MANAGE_TEMPLATES)
    @PatchMapping("/whatsapp/templates/{templateName}/{language}")
    @Operation(
            summary = "Edit a template at Meta (POST /{template-id}): new components and/or category",
            description = "Checked as a creation is. Meta reviews the template again: it is PENDING until the"
                    + " review's webhook.")
    TemplateRecord edit(
            Caller caller,
            @PathVariable String templateName,
            @PathVariable String language,
            @RequestBody TemplateLifecycle.EditTemplateRequest request) {
        return lifecycle.edit(caller.orgId(), templateName, language, request);
    }

    @RequiresScope(Scope.MANAGE_TEMPLATES)
    @DeleteMapping("/whatsapp/templates/{templateName}")
    @Operation(summary = "Delete a template at Meta in every language (DELETE /{waba-id}/message_templates?name=)")
    Map<String, List<TemplateRecord>> deleteAll(Caller caller, @PathVariable String templateName) {
        return Map.of("deleted", lifecycle.delete(caller.orgId(), templateName, null));
    }

    @RequiresScope(Scope.MANAGE_TEMPLATES)
    @DeleteMapping("/whatsapp/templates/{templateName}/{language}")
    @Operation(
            summary = "Delete a template at Meta in one language, by its id (DELETE"
                    + " /{waba-id}/message_templates?hsm_id=&name=)")
    Map<String, List<TemplateRecord>> delete(
            Caller caller, @PathVariable String templateName, @PathVariable String language) {
        return Map.of("deleted", lifecycle.delete(caller.orgId(), templateName, language));
    }
}
