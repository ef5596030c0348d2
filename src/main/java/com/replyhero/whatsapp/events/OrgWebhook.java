package com.replyhero.whatsapp.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.replyhero.whatsapp.egress.EgressPolicy;
import com.replyhero.whatsapp.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An org's webhook (its event endpoint), its events and their delivery attempts: what the JSON API's
 * {@code /whatsapp/webhook} and the console's webhook page both do, with the same checks.
 */
@Service
public class OrgWebhook {

    private final EventEndpoints endpoints;
    private final EventQueue queue;
    private final EgressPolicy urls;
    private final JsonMapper json;
    private final EventDispatcher dispatcher;
    private final Duration retryFor;

    OrgWebhook(
            EventEndpoints endpoints,
            EventQueue queue,
            EgressPolicy urls,
            JsonMapper json,
            EventDispatcher dispatcher,
            EventSettings settings) {
        this.endpoints = endpoints;
        this.queue = queue;
        this.urls = urls;
        this.json = json;
        this.dispatcher = dispatcher;
        this.retryFor = settings.retryFor();
    }

    /** The endpoint; {@code secret} only in the answer that set it, else {@code secretHint}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WebhookView(
            String url,
            String secret,
            String secretHint,
            List<String> events,
            Instant updatedAt,
            Instant disabledAt,
            String disabledReason) {}

    /** One delivery attempt: the endpoint's HTTP status, or the error when there was no answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(int attempt, Instant at, Integer responseStatus, String error, int durationMs) {}

    /** An event, as sent ({@code payload}), and how its delivery went. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(
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

    /** A page of events, newest first, and the sequence number to continue before (null at the end). */
    public record Events(List<EventView> events, Long before) {}

    /**
     * Sets the org's endpoint. Without a secret the current one is kept (changing the URL must not break
     * verification), or a new {@code whsec_} one made; the answer is the only one that shows the secret.
     */
    public WebhookView save(String orgId, String url, String secret) {
        if (url != null && url.length() > 2000) {
            throw ApiException.invalid("url", "url must be at most 2000 characters");
        }
        String checkedUrl = urls.require(url, "url").toString();
        String kept = secret == null || secret.isBlank()
                ? endpoints
                        .find(orgId)
                        .map(EventEndpoints.EventEndpoint::secret)
                        .orElseGet(WebhookSignature::newSecret)
                : secret.strip();
        if (!WebhookSignature.isValidSecret(kept)) {
            throw ApiException.invalid("secret", "secret must be whsec_ followed by base64 of 24 to 64 bytes");
        }
        EventEndpoints.EventEndpoint saved = endpoints.save(orgId, checkedUrl, kept);
        return new WebhookView(saved.url(), saved.secret(), null, eventTypes(), saved.updatedAt(), null, null);
    }

    /** The endpoint as shown after it was set: the secret's last characters only; 404 when the org has none. */
    public WebhookView view(String orgId) {
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

    /** The org's events (optionally of one status), newest first, before the event numbered {@code before}. */
    public Events events(String orgId, String status, Long before, int size) {
        List<EventQueue.QueuedEvent> rows = queue.list(orgId, status, before, size + 1);
        List<EventQueue.QueuedEvent> page = rows.size() > size ? rows.subList(0, size) : rows;
        return new Events(
                views(orgId, page), rows.size() > size ? page.getLast().seq() : null);
    }

    /** One event of the org and its attempts; 404 when the org has none by that id. */
    public EventView event(String orgId, String id) {
        EventQueue.QueuedEvent event = queue.find(orgId, id).orElseThrow(() -> ApiException.notFound("event", "id"));
        return views(orgId, List.of(event)).getFirst();
    }

    /**
     * Delivers a dead (or delivered) event again, with the same webhook-id and a new retry period: 409 while it is
     * still pending, 404 when the org has no such event.
     */
    public EventView replay(String orgId, String id) {
        EventQueue.QueuedEvent event = queue.replay(orgId, id, retryFor)
                .orElseThrow(() -> queue.find(orgId, id).isPresent()
                        ? new ApiException(
                                HttpStatus.CONFLICT, "event_pending", "the event is still being delivered", "id")
                        : ApiException.notFound("event", "id"));
        dispatcher.wake();
        return views(orgId, List.of(event)).getFirst();
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
