package com.replyhero.whatsapp.messages.store;

import java.time.Duration;
import java.time.Instant;
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
    private static final int BATCH = 500;

    /**
     * A kept status finds its message by another way in a race: the status is stored while the send records its wamid
     * (which looks for kept statuses itself). Such a race lasts a call and a commit, so a sweep looks at the statuses
     * kept since the start of the last sweep that ran to its end (and at least the last four runs, five minutes): each
     * is compared a few times, not every 30 s for a week. After a start, or when sweeps failed, it looks back that far
     * (the first sweep of a node over everything kept). Older ones belong to messages this gateway never sent (another
     * system on the number) and wait only to be dropped.
     */
    static final Duration MIN_RACE_WINDOW = Duration.ofMinutes(5);

    private final PendingStatuses pending;
    private final DeliveryStates states;
    private final Duration maxAge;
    private final Duration interval;
    private final Duration minWindow;
    /** When the last sweep that ran to its end started; null until one did. */
    private volatile Instant lastSwept;

    PendingStatusSweeper(PendingStatuses pending, DeliveryStates states, PendingStatusSettings settings) {
        this.pending = pending;
        this.states = states;
        this.maxAge = settings.pendingStatusMaxAge();
        this.interval = settings.pendingStatusSweep();
        Duration fourSweeps = interval.multipliedBy(4);
        this.minWindow = fourSweeps.compareTo(MIN_RACE_WINDOW) > 0 ? fourSweeps : MIN_RACE_WINDOW;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, interval, Duration.ofSeconds(10)));
    }

    /**
     * Kept statuses whose message has since recorded its wamid by another way (or whose record raced with the
     * status) are applied now. Statuses older than {@code rh.webhooks.pending-status-max-age} that match nothing
     * are dropped (another system's messages on the same number).
     */
    void sweep() {
        Instant started = Instant.now();
        try {
            var matched = pending.matched(window(started), BATCH);
            boolean allApplied = matched.size() < BATCH; // a full batch leaves matches for the next sweep
            for (var message : matched) {
                try {
                    states.applyPending(message);
                } catch (RuntimeException e) {
                    allApplied = false; // the others still go; this one is looked at again next time
                    log.warn("Applying kept statuses to message {} failed: {}", message.id(), e.getMessage());
                }
            }
            pending.dropOlderThan(maxAge);
            if (allApplied) {
                lastSwept = started;
            }
        } catch (RuntimeException e) {
            log.warn("Applying kept statuses failed: {}", e.getMessage());
        }
    }

    /** How far back a sweep starting at {@code now} looks: see {@link #MIN_RACE_WINDOW}. */
    Duration window(Instant now) {
        Instant last = lastSwept;
        if (last == null) {
            return maxAge;
        }
        Duration sinceLast = Duration.between(last, now).plus(interval);
        return sinceLast.compareTo(minWindow) > 0 ? sinceLast : minWindow;
    }
}
