package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The org's event endpoint (the URL the gateway POSTs its events to; "the org's webhook" in the API, under
 * {@code /whatsapp/webhook}), its events and their delivery attempts. Meta's inbound webhooks are {@code metawebhooks}.
 */
@RestController
class EventEndpointController {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead");

    private final EventEndpoints endpoints;
    private final OrgWebhook webhook;
    private final Orgs orgs;

    EventEndpointController(EventEndpoints endpoints, OrgWebhook webhook, Orgs orgs) {
        this.endpoints = endpoints;
        this.webhook = webhook;
        this.orgs = orgs;
    }

    /** {@code secret} is optional: without one the current secret is kept, or a new {@code whsec_} one made. */
    record WebhookRequest(String url, String secret) {}

    @RequiresScope(Scope.MANAGE_KEYS)
    @PutMapping("/whatsapp/webhook")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(
            summary = "Set the org's webhook: where message.received, message.status, broadcast.completed and"
                    + " template.status go",
            description = "Events are signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature"
                    + " v1 HMAC-SHA256 of id.timestamp.body with the secret's base64 bytes). Without a secret the"
                    + " current one is kept, or a new whsec_ secret is made; it is shown only in this answer. An"
                    + " endpoint that answers 410 Gone is disabled (disabledAt in GET); its events wait, and"
                    + " setting the webhook again enables it and delivers them.")
    OrgWebhook.WebhookView put(Caller caller, @RequestBody WebhookRequest request) {
        return save(caller.orgId(), request);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/webhook")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "The org's webhook (the secret's last characters only)")
    OrgWebhook.WebhookView get(Caller caller) {
        return view(caller.orgId());
    }

    @RequiresScope(Scope.MANAGE_KEYS)
    @DeleteMapping("/whatsapp/webhook")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Remove the org's webhook: no new events are queued; queued ones become dead")
    void delete(Caller caller) {
        if (!endpoints.delete(caller.orgId())) {
            throw ApiException.notFound("webhook", null);
        }
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/webhook/events")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(
            summary = "The org's events, newest first, with every delivery attempt",
            description = "status= pending | delivered | dead; limit 1..200 (default 50); cursor = nextCursor.")
    Page<OrgWebhook.EventView> events(
            Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int size = Page.limit(limit, 50, 200);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "status must be pending, delivered or dead");
        }
        Long before;
        try {
            before = cursor == null || cursor.isBlank() ? null : Long.parseLong(cursor.strip());
        } catch (NumberFormatException e) {
            throw Page.notACursor();
        }
        if (before != null && before < 1) {
            // events are numbered from 1: a cursor this API gave out is positive
            throw Page.notACursor();
        }
        OrgWebhook.Events page = webhook.events(caller.orgId(), status, before, size);
        return page.before() == null ? Page.of(page.events()) : new Page<>(page.events(), Long.toString(page.before()));
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/webhook/events/{id}")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "One event and its delivery attempts")
    OrgWebhook.EventView event(Caller caller, @PathVariable String id) {
        return webhook.event(caller.orgId(), id);
    }

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/webhook/events/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Deliver a dead (or delivered) event again, with the same webhook-id and a new retry period")
    OrgWebhook.EventView replay(Caller caller, @PathVariable String id) {
        return webhook.replay(caller.orgId(), id);
    }

    @PutMapping("/admin/orgs/{orgId}/webhook")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "Set an org's webhook")
    OrgWebhook.WebhookView adminPut(@PathVariable String orgId, @RequestBody WebhookRequest request) {
        orgs.get(orgId);
        return save(orgId, request);
    }

    @GetMapping("/admin/orgs/{orgId}/webhook")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "An org's webhook")
    OrgWebhook.WebhookView adminGet(@PathVariable String orgId) {
        orgs.get(orgId);
        return view(orgId);
    }

    private OrgWebhook.WebhookView save(String orgId, WebhookRequest request) {
        if (request == null) {
            throw ApiException.missing("url");
        }
        return webhook.save(orgId, request.url(), request.secret());
    }

    private OrgWebhook.WebhookView view(String orgId) {
        return webhook.view(orgId);
    }
}
