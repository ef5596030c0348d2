package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.web.ApiException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The inboxes open on this node: one server-sent event stream per open page, by org. Changed conversations are sent to
 * their org's streams only: one {@code conversation} event (the list re-reads itself) and one {@code customer-<id>}
 * per customer (the open conversation of that customer re-reads itself), or, when many changed at once (a
 * broadcast's statuses), one {@code customers} event instead (every open conversation re-reads itself). Bounded per
 * node.
 */
@Component
class InboxStreams {

    private final Map<String, Set<SseEmitter>> byOrg = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> byUser = new ConcurrentHashMap<>();
    private final int max;
    private final int maxPerUser;
    private final long timeoutMillis;

    InboxStreams(ConsoleSettings settings) {
        this.max = settings.maxEventStreams();
        this.maxPerUser = settings.maxEventStreamsPerUser();
        this.timeoutMillis = settings.eventStreamTimeout().toMillis();
    }

    /**
     * A new stream for a user's inbox page: 429 when the user has their most open on this node, 503 when the node
     * has its most open.
     */
    SseEmitter open(String orgId, String userId) {
        AtomicInteger ofUser = byUser.computeIfAbsent(orgId + "/" + userId, u -> new AtomicInteger());
        if (ofUser.incrementAndGet() > maxPerUser) {
            ofUser.decrementAndGet();
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too_many_streams",
                    "you have too many inbox pages open; close some and reload",
                    null);
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            ofUser.decrementAndGet();
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams", "too many open inboxes; reload later", null);
        }
        SseEmitter emitter = new SseEmitter(timeoutMillis);
        Set<SseEmitter> streams = byOrg.computeIfAbsent(orgId, o -> ConcurrentHashMap.newKeySet());
        streams.add(emitter);
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
        Runnable remove = () -> {
            if (counted.getAndSet(false)) {
                ofUser.decrementAndGet();
            }
            if (streams.remove(emitter)) {
                open.decrementAndGet();
            }
        };
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        try {
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException e) {
            remove.run();
        }
        return emitter;
    }

    /** Customers named one by one at most; beyond, one {@code customers} event. */
    static final int MAX_NAMED = 50;

    /** The org's conversations with these customers changed. */
    void changed(String orgId, Set<String> customerIds) {
        Set<SseEmitter> streams = byOrg.get(orgId);
        if (streams == null || streams.isEmpty() || customerIds.isEmpty()) {
            return;
        }
        for (SseEmitter emitter : List.copyOf(streams)) {
            send(streams, emitter, SseEmitter.event().name("conversation").data(customerIds.size()));
            if (customerIds.size() > MAX_NAMED) {
                send(streams, emitter, SseEmitter.event().name("customers").data(customerIds.size()));
                continue;
            }
            for (String customerId : customerIds) {
                send(
                        streams,
                        emitter,
                        SseEmitter.event().name("customer-" + customerId).data(customerId));
            }
        }
    }

    /** Every open page re-reads its list and its conversation (announcements may have been missed). */
    void refreshAll() {
        byOrg.values()
                .forEach(streams -> List.copyOf(streams).forEach(emitter -> {
                    send(
                            streams,
                            emitter,
                            SseEmitter.event().name("conversation").data(0));
                    send(streams, emitter, SseEmitter.event().name("customers").data(0));
                }));
    }

    /** A comment on every stream, so that proxies and browsers keep idle streams open. */
    void heartbeat() {
        byOrg.values()
                .forEach(streams -> List.copyOf(streams)
                        .forEach(emitter ->
                                send(streams, emitter, SseEmitter.event().comment("heartbeat"))));
    }

    /**
     * Ends every stream (the node stops): an open stream would hold the web server's graceful shutdown; the pages
     * reconnect, to another node.
     */
    void completeAll() {
        byOrg.values()
                .forEach(streams -> List.copyOf(streams).forEach(emitter -> {
                    if (streams.remove(emitter)) {
                        open.decrementAndGet();
                    }
                    emitter.complete();
                }));
    }

    int open() {
        return open.get();
    }

    private void send(Set<SseEmitter> streams, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        } catch (IOException | IllegalStateException e) {
            // the page went away: its stream ends here
            if (streams.remove(emitter)) {
                open.decrementAndGet();
            }
            emitter.completeWithError(e);
        }
    }
}
