package com.replyhero.whatsapp.events;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Delivered and dead events (and their attempts) are kept for {@code rh.events.keep} (30 days), then deleted. */
@Component
class EventRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);

    private final JdbcClient db;
    private final Duration keep;
    private final Duration interval;

    EventRetention(JdbcClient db, EventSettings settings) {
        this.db = db;
        this.keep = settings.keep();
        this.interval = settings.retentionInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::deleteOld, interval, Duration.ofMinutes(1)));
    }

    void deleteOld() {
        try {
            db.sql("""
                            WITH old AS (
                                SELECT org_id, id FROM org_events
                                 WHERE status <> 'pending' AND created_at < now() - :keep * interval '1 millisecond'
                                 LIMIT 10000),
                            attempts AS (
                                DELETE FROM org_event_attempts a USING old
                                 WHERE a.org_id = old.org_id AND a.event_id = old.id)
                            DELETE FROM org_events e USING old WHERE e.org_id = old.org_id AND e.id = old.id
                            """).param("keep", keep.toMillis()).update();
        } catch (RuntimeException e) {
            log.warn("Deleting old org events failed: {}", e.getMessage());
        }
    }
}
