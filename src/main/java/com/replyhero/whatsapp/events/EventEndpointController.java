package com.replyhero.whatsapp.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.egress.EgressPolicy;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The org's event endpoint (the URL the gateway POSTs its events to; "the org's webhook" in the API, under
 * {@code /whatsapp/webhook}), its events and their delivery attempts. Meta's inbound webhooks are {@code metawebhooks}.
 */
@RestController
class EventEndpointController {

    private static final Set<String> STATUSES = Set.of("pending", "delivered", "dead");

    private final EventEndpoints endpoints;
    private final EventQueue queue;
    private final EgressPolicy urls;
    private final Orgs orgs;
    private final JsonMapper json;
    private final EventDispatcher dispatcher;
    private final Duration retryFor;

    EventEndpointController(
            EventEndpoints endpoints,
            EventQueue queue,
            EgressPolicy urls,
            Orgs orgs,
            JsonMapper json,
            EventDispatcher dispatcher,
            EventSettings settings) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.urls = urls;
        this.orgs = orgs;
        this.json = json;
        this.dispatcher = dispatcher;
        this.retryFor = settings.retryFor();
    }

    /** {@code secret} is optional: without one the current secret is kept, or a new {@code whsec_} one made. */
    record WebhookRequest(String url, String secret) {}

    /** The endpoint; {@code secret} only in the answer to the PUT that set it, else {@code secretHint}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookView(
            String url,
            String secret,
            String secretHint,
            List<String> events,
            Instant updatedAt,
            Instant disabledAt,
            String disabledReason) {}

    /** One delivery attempt: the endpoint's HTTP status, or the error when there was no answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AttemptView(int attempt, Instant at, Integer responseStatus, String error, int durationMs) {}

    /** An event, as sent ({@code payload}), and how its delivery went. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventView(
            String id,
            String type,
            String status,
            int attempts,
            Instant createdAt,
            Instant nextAttemptAt,
            Instant deliveredAt,
            String lastError,
            JsonNode payload,
            List<AttemptView> attemptHistory) {}

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
    WebhookView put(Caller caller, @RequestBody WebhookRequest request) {
        return save(caller.orgId(), request);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/webhook")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "The org's webhook (the secret's last characters only)")
    WebhookView get(Caller caller) {
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
    Page<EventView> events(
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
        List<EventQueue.QueuedEvent> rows = queue.list(caller.orgId(), status, before, size + 1);
        List<EventQueue.QueuedEvent> page = rows.size() > size ? rows.subList(0, size) : rows;
        List<EventView> views = views(caller.orgId(), page);
        return rows.size() > size
                ? new Page<>(views, Long.toString(page.getLast().seq()))
                : Page.of(views);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/webhook/events/{id}")
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "One event and its delivery attempts")
    EventView event(Caller caller, @PathVariable String id) {
        EventQueue.QueuedEvent event =
                queue.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("event", "id"));
        return views(caller.orgId(), List.of(event)).getFirst();
    }

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/webhook/events/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Tag(name = "Events")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Deliver a dead (or delivered) event again, with the same webhook-id and a new retry period")
    EventView replay(Caller caller, @PathVariable String id) {
        EventQueue.QueuedEvent event = queue.replay(caller.orgId(), id, retryFor)
                .orElseThrow(() -> queue.find(caller.orgId(), id).isPresent()
                        ? new ApiException(
                                HttpStatus.CONFLICT, "event_pending", "the event is still being delivered", "id")
                        : ApiException.notFound("event", "id"));
        dispatcher.wake();
        return views(caller.orgId(), List.of(event)).getFirst();
    }

    @PutMapping("/admin/orgs/{orgId}/webhook")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "Set an org's webhook")
    WebhookView adminPut(@PathVariable String orgId, @RequestBody WebhookRequest request) {
        orgs.get(orgId);
        return save(orgId, request);
    }

    @GetMapping("/admin/orgs/{orgId}/webhook")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "An org's webhook")
    WebhookView adminGet(@PathVariable String orgId) {
        orgs.get(orgId);
        return view(orgId);
    }

    private WebhookView save(String orgId, WebhookRequest request) {
        if (request == null) {
            throw ApiException.missing("url");
        }
        if (request.url() != null && request.url().length() > 2000) {
            throw ApiException.invalid("url", "url must be at most 2000 characters");
        }
        String url = urls.require(request.url(), "url").toString();
        // without a secret, keep the current one (changing the URL must not break verification)
        String secret = request.secret() == null || request.secret().isBlank()
                ? endpoints
                        .find(orgId)
                        .map(EventEndpoints.EventEndpoint::secret)
                        .orElseGet(WebhookSignature::newSecret)
                : request.secret().strip();
        if (!WebhookSignature.isValidSecret(secret)) {
            throw ApiException.invalid("secret", "secret must be whsec_ followed by base64 of 24 to 64 bytes");
        }
        EventEndpoints.EventEndpoint saved = endpoints.save(orgId, url, secret);
        return new WebhookView(saved.url(), saved.secret(), null, eventTypes(), saved.updatedAt(), null, null);
    }

    private WebhookView view(String orgId) {
        EventEndpoints.EventEndpoint endpoint =
                endpoints.find(orgId).orElseThrow(() -> ApiException.notFound("webhook", null));
        String secret = endpoint.secret();
        return new WebhookView(
                endpoint.url(),
                null,
                WebhookSignature.PREFIX + "..." + secret.substring(secret.length() - 4),
                eventTypes(),
                endpoint.updatedAt(),
                endpoint.disabledAt(),
                endpoint.disabledReason());
    }

    private static List<String> eventTypes() {
        return List.of(
                OrgEvents.MESSAGE_RECEIVED,
                OrgEvents.MESSAGE_STATUS,
                OrgEvents.BROADCAST_COMPLETED,
                OrgEvents.BROADCAST_STATUS,
                OrgEvents.TEMPLATE_STATUS,
                OrgEvents.NUMBER_QUALITY);
    }

    private List<EventView> views(String orgId, List<EventQueue.QueuedEvent> events) {
        Map<String, List<AttemptView>> attempts =
                queue
                        .attempts(
                                orgId,
                                events.stream().map(EventQueue.QueuedEvent::id).toList())
                        .stream()
                        .collect(Collectors.groupingBy(
                                EventQueue.Attempt::eventId,
                                Collectors.mapping(
                                        a -> new AttemptView(
                                                a.attempt(),
                                                a.attemptedAt(),
                                                a.responseCode(),
                                                a.error(),
                                                a.durationMs()),
                                        Collectors.toList())));
        return events.stream()
                .map(e -> new EventView(
                        e.id(),
                        e.type(),
                        e.status(),
                        e.attempts(),
                        e.createdAt(),
                        e.status().equals("pending") ? e.nextAttemptAt() : null,
                        e.deliveredAt(),
                        e.lastError(),
                        json.readTree(e.payload()),
                        attempts.getOrDefault(e.id(), List.of())))
                .toList();
    }
}
