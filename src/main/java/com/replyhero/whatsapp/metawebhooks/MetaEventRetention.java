package com.replyhero.whatsapp.metawebhooks;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Meta's raw webhooks are kept for {@code rh.webhooks.keep} (7 days) after they were applied, then deleted in
 * batches. One never applied (its processing failed 20 times) is kept until an operator deals with it: it may hold
 * a customer's message that exists nowhere else.
 */
@Component
class MetaEventRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(MetaEventRetention.class);
    private static final int BATCH = 5_000;
    // one run stops after this long (the next goes on): a backlog after an upgrade never holds a node's shutdown long
    private static final Duration RUN_FOR = Duration.ofSeconds(30);

    private final MetaEvents events;
    private final Duration keep;
    private final Duration interval;

    MetaEventRetention(MetaEvents events, MetaWebhookSettings settings) {
        this.events = events;
        this.keep = settings.keep();
        this.interval = settings.retentionInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::deleteOld, interval, Duration.ofMinutes(1)));
    }

    void deleteOld() {
        try {
            Instant stop = Instant.now().plus(RUN_FOR);
            int deleted;
            do {
                deleted = events.deleteProcessedBefore(keep, BATCH);
            } while (deleted == BATCH && Instant.now().isBefore(stop));
        } catch (RuntimeException e) {
            log.warn("Deleting old Meta events failed: {}", e.getMessage());
        }
    }
}
