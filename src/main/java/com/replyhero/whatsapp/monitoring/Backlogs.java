package com.replyhero.whatsapp.monitoring;

import com.replyhero.whatsapp.messages.QueueBacklog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * What is waiting, read from the database every {@code rh.metrics.backlog-interval} into gauges: messages queued
 * (single sends and broadcast recipients) and how long the oldest due one has waited, sends in flight and unknown
 * outcomes still open, org events pending (and the oldest's age) and dead, Meta webhooks not yet applied, and
 * broadcasts by status (the message queue as {@link QueueBacklog} reads it). The backlogs are the cluster's: every
 * node reports the same values (take the max).
 */
@Component
class Backlogs implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Backlogs.class);

    private final JdbcClient db;
    private final QueueBacklog queueBacklog;
    private final MeterRegistry meters;
    private final MonitoringSettings settings;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    Backlogs(JdbcClient db, QueueBacklog queueBacklog, MeterRegistry meters, MonitoringSettings settings) {
        this.db = db;
        this.queueBacklog = queueBacklog;
        this.meters = meters;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refresh, settings.backlogInterval(), java.time.Duration.ZERO));
    }

    /** Reads every backlog once; a failure (the database down) leaves the last values and is logged. */
    void refresh() {
        try {
            messages();
            events();
            webhooks();
            broadcasts();
        } catch (RuntimeException e) {
            log.warn("Reading the backlogs for the metrics failed: {}", e.getMessage());
        }
    }

    private void messages() {
        QueueBacklog.Backlog queue = queueBacklog.read();
        set("rh.messages.queued", "Messages queued (due, waiting for a retry, or held)", queue.queued());
        set("rh.messages.due", "Queued messages whose time has come", queue.due());
        set(
                "rh.messages.queue.age.seconds",
                "How long the oldest due queued message has waited past its time",
                queue.oldestDueSeconds());
        set("rh.messages.queued.single", "Single sends queued (not broadcasts)", queue.queuedSingle());
        set("rh.messages.sending", "Messages whose Cloud API call is under way", queue.sending());
        set(
                "rh.messages.unknown",
                "Messages whose outcome is unknown and not settled yet (by Meta's status, or a resend)",
                queue.unknown());
    }

    private void events() {
        db.sql("""
                        SELECT count(*) AS pending,
                               coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest
                          FROM org_events
                         WHERE status = 'pending'
                        """).query(rs -> {
            set("rh.events.pending", "Org events not delivered yet", rs.getLong("pending"));
            set(
                    "rh.events.pending.age.seconds",
                    "Age of the oldest org event not delivered yet",
                    Math.round(rs.getDouble("oldest")));
        });
        db.sql("SELECT count(*) FROM org_events WHERE status = 'dead'")
                .query(Long.class)
                .optional()
                .ifPresent(n -> set("rh.events.dead", "Org events given up on (dead letters), until replayed", n));
    }

    private void webhooks() {
        db.sql("""
                        SELECT count(*) AS unprocessed,
                               coalesce(extract(epoch FROM now() - min(received_at)), 0) AS oldest
                          FROM meta_events
                         WHERE processed_at IS NULL
                        """).query(rs -> {
            set("rh.webhooks.unprocessed", "Meta webhooks stored but not applied yet", rs.getLong("unprocessed"));
            set(
                    "rh.webhooks.unprocessed.age.seconds",
                    "Age of the oldest Meta webhook not applied yet",
                    Math.round(rs.getDouble("oldest")));
        });
    }

    private void broadcasts() {
        Map<String, Long> byStatus = new java.util.HashMap<>();
        db.sql("""
                        SELECT status, count(*) AS n FROM broadcasts
                         WHERE status IN ('scheduled', 'running', 'paused')
                         GROUP BY status
                        """).query(rs -> {
            byStatus.put(rs.getString("status"), rs.getLong("n"));
        });
        for (String status : java.util.List.of("scheduled", "running", "paused")) {
            set(
                    "rh.broadcasts.active",
                    "Broadcasts not ended, by status",
                    byStatus.getOrDefault(status, 0L),
                    "status",
                    status);
        }
    }

    private void set(String name, String description, long value, String... tags) {
        String key = name + String.join(",", tags);
        values.computeIfAbsent(key, k -> {
                    AtomicLong holder = new AtomicLong();
                    Gauge.builder(name, holder, AtomicLong::get)
                            .description(description)
                            .tags(tags)
                            .register(meters);
                    return holder;
                })
                .set(value);
    }
}
