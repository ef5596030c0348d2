package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageReceived;
import com.replyhero.whatsapp.messages.MessageStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every node's inbox which conversations changed. A message stored or moved registers its (org, customer),
 * after its transaction committed (never inside it: the send path stays as it was); every 250 ms the pairs of the
 * node are moved into their conversations' last activity and announced with one {@code pg_notify} on its own
 * autocommit statement (a {@code NOTIFY} inside the message transactions would take PostgreSQL's global notify
 * lock at each commit). {@link InboxListener} hears them on every node. It runs on a thread of its own.
 */
@Component
class InboxChanges implements SmartLifecycle {

    static final String CHANNEL = "rh_console";
    /** PostgreSQL's payload limit is 8000 bytes: a batch is announced in parts below it. */
    static final int MAX_PAYLOAD = 7000;

    private static final Logger log = LoggerFactory.getLogger(InboxChanges.class);

    private final Conversations conversations;
    private final JdbcClient db;
    private final Map<Pair, Instant> pending = new ConcurrentHashMap<>();
    /** Its own thread: the shared scheduler's other tasks (sweeps, queues) never hold the inbox back. */
    private volatile ScheduledExecutorService announcer;

    record Pair(String orgId, String customerId) {}

    InboxChanges(Conversations conversations, JdbcClient db) {
        this.conversations = conversations;
        this.db = db;
    }

    @EventListener
    void on(MessageReceived received) {
        afterCommit(List.of(received.message()));
    }

    @EventListener
    void on(MessageStatusChanged changed) {
        afterCommit(changed.messages());
    }

    /** A message of the conversation at {@code at}: its last activity, announced with the next batch. */
    void changed(String orgId, String customerId, Instant at) {
        pending.merge(new Pair(orgId, customerId), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** The console's own change (an assignment, a read mark): announced, its last activity left as it is. */
    void announce(String orgId, String customerId) {
        changed(orgId, customerId, Instant.EPOCH);
    }

    private void afterCommit(List<Message> messages) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            messages.forEach(m -> changed(m.orgId(), m.customerId(), m.createdAt()));
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                messages.forEach(m -> changed(m.orgId(), m.customerId(), m.createdAt()));
            }
        });
    }

    @Override
    public void start() {
        announcer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("rh-inbox-announcer").factory());
        announcer.scheduleWithFixedDelay(this::announceSafely, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = announcer;
        announcer = null;
        if (running != null) {
            running.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return announcer != null;
    }

    private void announceSafely() {
        try {
            announce();
        } catch (RuntimeException e) {
            log.warn("Could not announce inbox changes: {}", e.getMessage());
        }
    }

    /** Records and announces the pending changes (every 250 ms). */
    void announce() {
        if (pending.isEmpty()) {
            return;
        }
        List<Conversations.Touch> batch = new ArrayList<>();
        for (Pair pair : List.copyOf(pending.keySet())) {
            Instant at = pending.remove(pair);
            if (at != null) {
                batch.add(new Conversations.Touch(pair.orgId(), pair.customerId(), at));
            }
        }
        try {
            conversations.touch(batch);
        } catch (RuntimeException e) {
            // a conversation's activity is shown, not relied on: the next message moves it on
            log.warn("Could not record the activity of {} conversation(s): {}", batch.size(), e.getMessage());
        }
        for (String payload : payloads(batch)) {
            try {
                db.sql("SELECT pg_notify('" + CHANNEL + "', :payload)")
                        .param("payload", payload)
                        .query((rs, row) -> row)
                        .list();
            } catch (RuntimeException e) {
                log.warn("Could not announce inbox changes: {}", e.getMessage());
            }
        }
    }

    /** {@code orgId:customerId} pairs, one per line, in parts of at most {@link #MAX_PAYLOAD} characters. */
    static List<String> payloads(List<Conversations.Touch> batch) {
        List<String> payloads = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (Conversations.Touch touch : batch) {
            String line = touch.orgId() + ":" + touch.customerId();
            if (!part.isEmpty() && part.length() + 1 + line.length() > MAX_PAYLOAD) {
                payloads.add(part.toString());
                part.setLength(0);
            }
            part.append(part.isEmpty() ? "" : "\n").append(line);
        }
        if (!part.isEmpty()) {
            payloads.add(part.toString());
        }
        return payloads;
    }
}
