package com.replyhero.whatsapp.faults;

import com.replyhero.whatsapp.support.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Single sends from {@code connections} clients at once, as a careful backend makes them: each send has an
 * Idempotency-Key, and a send that got no answer (the node was down), a 503 or a 409 is tried again with
 * the same key, for up to {@code retryFor}, on whichever node {@code nodes} gives. Records the ids the API
 * gave and every answer's status.
 */
final class SendLoad {

    private final Supplier<Api> nodes;
    private final FaultRig.Org org;
    private final List<String> customers;
    private final Duration retryFor;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new java.util.ArrayList<>();
    final Queue<String> acceptedIds = new ConcurrentLinkedQueue<>();
    /** The ids the API answered 200 or 202 for: the gateway took responsibility for sending them. */
    final Queue<String> answeredOkIds = new ConcurrentLinkedQueue<>();

    final AtomicLong attempted = new AtomicLong();
    final Map<Integer, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicLong noAnswer = new AtomicLong();
    private volatile long pauseMillis;
    private volatile long limit = Long.MAX_VALUE;
    private final AtomicLong taken = new AtomicLong();

    SendLoad(Supplier<Api> nodes, FaultRig.Org org, List<String> customers, Duration retryFor) {
        this.nodes = nodes;
        this.org = org;
        this.customers = customers;
        this.retryFor = retryFor;
    }

    /** A pause between two sends of one connection (0, the default: as fast as the gateway answers). */
    SendLoad pausing(long millis) {
        this.pauseMillis = millis;
        return this;
    }

    /** At most {@code sends} sends in all (each with its retries), then the clients stop by themselves. */
    SendLoad upTo(long sends) {
        this.limit = sends;
        return this;
    }

    SendLoad start(int connections) {
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofPlatform().daemon().name("send-load-" + i).start(this::run));
        }
        return this;
    }

    /** Stops taking new sends and waits for the ones under way. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Waits until every client stopped by itself ({@link #upTo}) or {@code timeout} passed; answers which. */
    boolean awaitDone(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Thread t : threads) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || !t.join(left)) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        while (!stop.get() && taken.incrementAndGet() <= limit) {
            attempted.incrementAndGet();
            sendOne();
            if (pauseMillis > 0) {
                pause(pauseMillis);
            }
        }
    }

    private void sendOne() {
        String key = UUID.randomUUID().toString();
        String customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
        Map<String, Object> body = Map.of(
                "message", Map.of("type", "text", "text", Map.of("body", "fault " + key)),
                "sessionId", "faults",
                "customerId", customer,
                "userId", org.userId(),
                "orgId", org.orgId());
        Instant deadline = Instant.now().plus(retryFor);
        while (Instant.now().isBefore(deadline)) {
            Api.Response answer;
            try {
                answer = nodes.get()
                        .post("/whatsapp/messages/send", body, "X-API-KEY", org.key(), "Idempotency-Key", key);
            } catch (RuntimeException e) {
                noAnswer.incrementAndGet();
                pause(200);
                continue;
            }
            answers.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
            String id = answer.json() == null
                    ? null
                    : answer.json().has("id")
                            ? answer.json().get("id").asString()
                            : answer.json().path("messageId").asString(null);
            if (answer.status() == 200 || answer.status() == 202 || answer.status() == 504) {
                if (id != null) {
                    acceptedIds.add(id);
                    if (answer.status() != 504) {
                        answeredOkIds.add(id);
                    }
                }
                return;
            }
            if (answer.status() == 503 || answer.status() == 409 || answer.status() == 429) {
                pause(250);
                continue;
            }
            if (id != null) {
                acceptedIds.add(id); // refused by Meta: a final failure, reported on the message
            }
            return;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
