package com.replyhero.whatsapp.messages;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Now and then applies kept statuses whose message turned up by another way, and drops old unmatched ones. */
@Component
class PendingStatusSweeper implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PendingStatusSweeper.class);

    private final Statuses statuses;
    private final Duration maxAge;
    private final Duration interval;

    PendingStatusSweeper(Statuses statuses, PendingStatusSettings settings) {
        this.statuses = statuses;
        this.maxAge = settings.pendingStatusMaxAge();
        this.interval = settings.pendingStatusSweep();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, interval, Duration.ofSeconds(10)));
    }

    void sweep() {
        try {
            statuses.sweepPending(maxAge, 500);
        } catch (RuntimeException e) {
            log.warn("Applying kept statuses failed: {}", e.getMessage());
        }
    }
}
