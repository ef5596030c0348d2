package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.events.OrgEvents;
import com.replyhero.whatsapp.messages.BroadcastRecipients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Marks running broadcasts whose every recipient has an outcome as completed and, in the same transaction,
 * queues the org's {@code broadcast.completed} event: the event exists exactly when the completion does, on
 * whichever node completes it.
 */
@Component
class BroadcastCompletion implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(BroadcastCompletion.class);

    private final Broadcasts broadcasts;
    private final BroadcastRecipients recipients;
    private final OrgEvents events;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Duration interval;

    BroadcastCompletion(
            Broadcasts broadcasts,
            BroadcastRecipients recipients,
            OrgEvents events,
            JsonMapper json,
            TransactionTemplate transaction,
            BroadcastSettings settings) {
        this.interval = settings.completionInterval();
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.events = events;
        this.json = json;
        this.transaction = transaction;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::completeFinished, interval, Duration.ofSeconds(1)));
    }

    void completeFinished() {
        try {
            for (String orgId : broadcasts.orgsWithUnfinishedBroadcasts()) {
                transaction.executeWithoutResult(status -> complete(orgId));
            }
        } catch (RuntimeException e) {
            log.warn("Completing broadcasts failed; will try again: {}", e.getMessage());
        }
    }

    /**
     * Running broadcasts none of whose recipients is still queued, being sent or unknown become completed; cancelled
     * ones finish then too (a recipient that went back to the queue after the cancel, from an unknown outcome or a
     * retry, is cancelled here first).
     */
    private void complete(String orgId) {
        List<String> cancelled = broadcasts.unfinished(orgId, "cancelled");
        cancelled.forEach(id -> recipients.cancelUnsent(orgId, id));
        List<String> running = new java.util.ArrayList<>(broadcasts.unfinished(orgId, "running"));
        running.addAll(cancelled);
        if (running.isEmpty()) {
            return;
        }
        // no recipient goes back to those states: what is finished here is still finished at the update
        List<String> finished = recipients.finished(orgId, running);
        if (finished.isEmpty()) {
            return;
        }
        for (Broadcast b : broadcasts.complete(orgId, finished)) {
            events.publish(orgId, OrgEvents.BROADCAST_COMPLETED, b.id(), event(b));
            log.info("Broadcast {} of org {} completed ({} recipients)", b.id(), orgId, b.total());
        }
    }

    private ObjectNode event(Broadcast b) {
        Map<String, Long> counts = recipients.statusCounts(b.orgId(), b.id(), Broadcasts.RATE_WINDOW_SECONDS);
        ObjectNode data = json.createObjectNode();
        data.put("broadcastId", b.id());
        data.put("orgId", b.orgId());
        data.put("templateName", b.templateName());
        data.put("language", b.language());
        data.put("total", b.total());
        data.put("sent", count(counts, "accepted", "sent", "delivered", "read"));
        data.put("failed", count(counts, "failed"));
        data.put("startedAt", b.createdAt().toString());
        data.put("finishedAt", b.finishedAt() == null ? null : b.finishedAt().toString());
        return data;
    }

    private static long count(Map<String, Long> counts, String... statuses) {
        long n = 0;
        for (String status : statuses) {
            n += counts.getOrDefault(status, 0L);
        }
        return n;
    }
}
