package com.replyhero.whatsapp.messages;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Now and then applies kept statuses whose message turned up by another way, and drops old unmatched ones. */
@Component
class PendingStatusSweeper {

    private static final Logger log = LoggerFactory.getLogger(PendingStatusSweeper.class);

    private final Statuses statuses;
    private final Duration maxAge;

    PendingStatusSweeper(Statuses statuses, @Value("${rh.webhooks.pending-status-max-age:7d}") Duration maxAge) {
        this.statuses = statuses;
        this.maxAge = maxAge;
    }

    @Scheduled(fixedDelayString = "${rh.webhooks.pending-status-sweep:30s}", initialDelayString = "10s")
    void sweep() {
        try {
            statuses.sweepPending(maxAge, 500);
        } catch (RuntimeException e) {
            log.warn("Applying kept statuses failed: {}", e.getMessage());
        }
    }
}
