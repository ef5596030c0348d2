package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.egress.EgressAnswer;
import com.replyhero.whatsapp.egress.EgressClient;
import com.replyhero.whatsapp.web.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers queued events to orgs' webhooks, signed (Standard Webhooks), each on its own virtual thread. One
 * org's slow or failing endpoint cannot hold up anyone else: at most {@code per-org-concurrency} of its
 * events are in flight on a node, every call has a timeout, failures wait out their backoff in the database,
 * and sends never wait for any of this.
 */
@Component
class EventDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final EventQueue queue;
    private final EventEndpoints endpoints;
    private final EgressClient egress;
    private final MeterRegistry meters;
    private final RetryPolicy retry;
    private final int perOrg;
    private final int maxInFlight;
    private final Duration timeout;
    private final Duration pollInterval;
    // made again on every start: a stopped context can be started again (Spring's test contexts are paused
    // and resumed), and a shut-down executor refuses every task
    private volatile ExecutorService deliveries = newDeliveries();
    private final Map<String, Integer> inFlightByOrg = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    EventDispatcher(
            EventQueue queue,
            EventEndpoints endpoints,
            EgressClient egress,
            MeterRegistry meters,
            EventSettings settings) {
        this.queue = queue;
        this.endpoints = endpoints;
        this.egress = egress;
        this.meters = meters;
        this.perOrg = settings.perOrgConcurrency();
        this.maxInFlight = settings.maxInFlight();
        this.timeout = settings.timeout();
        this.pollInterval = settings.pollInterval();
        this.retry = new RetryPolicy(settings.backoffBase(), settings.backoffCap());
    }

    /** Something was queued or a slot freed up: look for due events now rather than at the next poll. */
    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void run() {
        while (running) {
            try {
                int room = maxInFlight - inFlight.get();
                if (room > 0) {
                    List<EventQueue.QueuedEvent> claimed =
                            queue.claim(Math.min(room, 100), perOrg, busyOrgs(), lease());
                    for (EventQueue.QueuedEvent event : claimed) {
                        if (!start(event.orgId())) {
                            queue.release(event.orgId(), event.id());
                            continue;
                        }
                        deliveries.execute(() -> deliver(event));
                    }
                    if (claimed.size() == Math.min(room, 100)) {
                        continue; // there may be more due right now
                    }
                }
                wakeups.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Claiming org events failed", e);
                sleep(pollInterval);
            }
        }
    }

    private List<String> busyOrgs() {
        return inFlightByOrg.entrySet().stream()
                .filter(e -> e.getValue() >= perOrg)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Takes one of the org's slots, or answers false when it has none free. */
    private boolean start(String orgId) {
        boolean[] started = {false};
        inFlightByOrg.compute(orgId, (org, count) -> {
            int n = count == null ? 0 : count;
            if (n >= perOrg) {
                return count;
            }
            started[0] = true;
            return n + 1;
        });
        if (started[0]) {
            inFlight.incrementAndGet();
        }
        return started[0];
    }

    private void finish(String orgId) {
        inFlightByOrg.compute(orgId, (org, count) -> count == null || count <= 1 ? null : count - 1);
        inFlight.decrementAndGet();
        wake();
    }

    /** One attempt; its outcome is recorded whatever happens. */
    void deliver(EventQueue.QueuedEvent event) {
        long started = System.nanoTime();
        try {
            Optional<EventEndpoints.EventEndpoint> endpoint = endpoints.find(event.orgId());
            if (endpoint.isEmpty()) {
                record(event, null, "the org has no webhook any more", started, true);
                return;
            }
            URI url = URI.create(endpoint.get().url());
            long timestamp = Instant.now().getEpochSecond();
            byte[] body = event.payload().getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("User-Agent", "rh-whatsapp-api");
            headers.put("webhook-id", event.id());
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put(
                    "webhook-signature", WebhookSignature.sign(endpoint.get().secret(), event.id(), timestamp, body));
            int status;
            // the egress guard checks the address again (DNS answers change) and connects to the checked one;
            // redirects are not followed; the answer's body means nothing to us and is not read
            try (EgressAnswer answer = egress.post(url, headers, body, timeout, "url")) {
                status = answer.status();
            } catch (ApiException e) {
                record(event, null, "the webhook URL is refused: " + e.getMessage(), started, false);
                return;
            } catch (java.net.SocketTimeoutException e) {
                record(event, null, "no answer within " + timeout.toMillis() + " ms", started, false);
                return;
            } catch (IOException e) {
                record(
                        event,
                        null,
                        "cannot deliver: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                        started,
                        false);
                return;
            }
            if (status >= 200 && status < 300) {
                queue.recordAttempt(event, "delivered", null, status, null, millisSince(started));
                meters.counter("rh.events.deliveries", "outcome", "delivered").increment();
                // from the event's making to its delivery: what the org's backend waits, retries included
                io.micrometer.core.instrument.Timer.builder("rh.events.delivery.lag")
                        .description("from an org event's making to its delivery, retries included")
                        .serviceLevelObjectives(
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(1),
                                Duration.ofMinutes(10),
                                Duration.ofHours(1))
                        .register(meters)
                        .record(Duration.between(event.createdAt(), Instant.now()));
            } else if (status == 410) {
                // Standard Webhooks: 410 Gone disables the endpoint; the event waits for the org to set it again
                endpoints.disable(event.orgId(), "the endpoint answered 410 Gone");
                queue.recordAttempt(
                        event, "pending", Instant.now(), status, "HTTP 410: endpoint disabled", millisSince(started));
                meters.counter("rh.events.deliveries", "outcome", "disabled").increment();
                log.warn("The event endpoint of org {} answered 410 Gone: disabled", event.orgId());
            } else {
                record(event, status, "HTTP " + status, started, false);
            }
        } catch (RuntimeException e) {
            log.warn("Delivering event {} of org {} failed: {}", event.id(), event.orgId(), e.getMessage());
        } finally {
            finish(event.orgId());
        }
    }

    private void record(EventQueue.QueuedEvent event, Integer status, String error, long started, boolean dead) {
        Instant next = dead ? null : retry.next(event.attempts() + 1, Instant.now(), event.retryUntil());
        queue.recordAttempt(event, next == null ? "dead" : "pending", next, status, error, millisSince(started));
        meters.counter("rh.events.deliveries", "outcome", next == null ? "dead" : "failed")
                .increment();
        if (next == null) {
            log.warn(
                    "Event {} of org {} is dead after {} attempts: {}",
                    event.id(),
                    event.orgId(),
                    event.attempts() + 1,
                    error);
        }
    }

    private Duration lease() {
        return timeout.multipliedBy(2).plusSeconds(30);
    }

    private static int millisSince(long started) {
        return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService newDeliveries() {
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("org-event-", 0).factory());
    }

    @Override
    public void start() {
        if (deliveries.isShutdown()) {
            deliveries = newDeliveries();
        }
        running = true;
        loop = Thread.ofPlatform().daemon().name("org-events").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
        }
        deliveries.shutdown();
        try {
            if (loop != null) {
                loop.join(timeout.toMillis() + 1000); // one claim loop at a time, also across a stop and a start
            }
            deliveries.awaitTermination(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
