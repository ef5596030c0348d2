package com.replyhero.whatsapp.messages.retryqueue;

import com.replyhero.whatsapp.cloudapi.GraphSettings;
import com.replyhero.whatsapp.messages.Claim;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageDelivery;
import com.replyhero.whatsapp.messages.store.DeliveryStates;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The durable send queue. Each round claims up to {@code rh.outbox.max-in-flight} due messages with
 * {@code FOR UPDATE SKIP LOCKED} and a short lease ({@code rh.outbox.claim-lease}): they stay {@code queued}, and
 * another node skips them while the lease lasts. Each is then sent on its own: marked {@code sending} (committed,
 * only if still queued under this claim) immediately before its own Cloud API call, so a node that dies leaves
 * what it had not yet called {@code queued} (claimed again once the lease runs out) and only what it was calling
 * {@code sending}. A failure on one message never stops the others. Also settles what a crash left behind: a lease
 * that ran out while {@code sending} means the sender stopped, so the message becomes {@code unknown} until Meta's
 * status webhook settles it, and is sent again if none came by the end of its wait; an {@code unknown} whose call
 * ended without an answer (the request left) becomes {@code failed} with {@code outcome_unknown} at its deadline.
 */
@Component
class OutboxDispatcher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int SETTLE_BATCH = 100;

    private final RetryQueue queue;
    private final DeliveryStates states;
    private final MessageDelivery delivery;
    private final Orgs orgs;
    private final RetryQueueSettings settings;
    private final int maxInFlight;
    private final Duration claimLease;
    private final Duration sendLease;
    /** How long after its mark a call may still start: half the lease's margin, so it starts well within its lease. */
    private final Duration maxGap;

    private final Duration unknownDeadline;
    private volatile boolean stopping;

    OutboxDispatcher(
            RetryQueue queue,
            DeliveryStates states,
            MessageDelivery delivery,
            Orgs orgs,
            RetryQueueSettings settings,
            GraphSettings graph) {
        Duration leaseMargin = settings.leaseMargin();
        this.settings = settings;
        this.queue = queue;
        this.states = states;
        this.delivery = delivery;
        this.orgs = orgs;
        this.maxInFlight = settings.maxInFlight();
        // a round marks all it claimed within moments: the claim only has to outlive that (a dead node's rows wait it
        // out)
        this.claimLease = settings.claimLease();
        // the lease outlives the Cloud API call: only a sender that died lets it run out
        this.sendLease = graph.requestTimeout().plus(leaseMargin);
        this.maxGap = leaseMargin.dividedBy(2);
        this.unknownDeadline = settings.unknownDeadline();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::dispatchDue, settings.pollInterval(), Duration.ofSeconds(2)));
        tasks.addFixedDelayTask(
                new FixedDelayTask(this::settleInFlight, settings.sweepInterval(), Duration.ofSeconds(1)));
    }

    void dispatchDue() {
        try {
            List<Claim> claimed;
            do {
                claimed = queue.claimDue(maxInFlight, claimLease);
                sendAll(claimed);
            } while (claimed.size() == maxInFlight && !stopping);
        } catch (RuntimeException e) {
            log.warn("Outbox dispatch failed; will try again: {}", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        // the round under way finishes its calls and records them; no new round starts
        stopping = true;
    }

    void settleInFlight() {
        try {
            int orphaned = 0;
            int expired;
            do {
                expired = states.expireSendingLeases(unknownDeadline, SETTLE_BATCH);
                orphaned += expired;
            } while (expired == SETTLE_BATCH);
            if (orphaned > 0) {
                log.warn(
                        "{} message(s) were left mid-send by a stopped sender: unknown until Meta's status webhook"
                                + " settles them, sent again if none comes",
                        orphaned);
            }
            DeliveryStates.Settled settled = states.settleExpiredUnknowns(SETTLE_BATCH);
            if (settled.queuedAgain() > 0) {
                log.warn(
                        "{} message(s) left mid-send by a stopped sender got no status from Meta: queued to be sent"
                                + " again",
                        settled.queuedAgain());
            }
            if (!settled.failed().isEmpty()) {
                log.warn(
                        "{} message(s) got no status before the deadline: failed with outcome_unknown",
                        settled.failed().size());
            }
        } catch (RuntimeException e) {
            log.warn("Settling in-flight messages failed; will try again: {}", e.getMessage());
        }
    }

    /** Sends the claimed messages at once, each on its own virtual thread; answers when all are done. */
    private void sendAll(List<Claim> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            claimed.forEach(c -> calls.execute(() -> send(c)));
        }
    }

    private void send(Claim claimed) {
        Message queued = claimed.message();
        try {
            if (stopping) {
                // shutting down: start no new call; the claim goes back (else it waits for its lease to run out)
                queue.releaseClaim(queued.orgId(), queued.id(), claimed.leaseUntil());
                return;
            }
            // the number it was accepted on (or the org's default, for a message stored before channels had ids)
            Optional<Channel> channel = orgs.channelOrDefault(queued.orgId(), queued.channelId());
            if (channel.isEmpty()) {
                states.markFailed(
                        queued.orgId(),
                        queued.id(),
                        Channel.NOT_CONFIGURED,
                        null,
                        "the org has no such WhatsApp channel");
                return;
            }
            if (claimed.phone() == null) {
                states.markFailed(queued.orgId(), queued.id(), "customer_not_found", null, "the customer is gone");
                return;
            }
            // the mark comes empty when the claim ran out and another node took the message (or it changed): not ours
            delivery.attemptQueued(
                    queued,
                    channel.get(),
                    claimed.phone(),
                    () -> queue.markSending(queued.orgId(), queued.id(), claimed.leaseUntil(), sendLease),
                    maxGap);
        } catch (RuntimeException e) {
            // before the mark it is still queued (sent once the claim runs out); after it, sending: the lease
            // runs out and it becomes unknown, never sent twice
            log.warn("Sending queued message {} failed; it is left to its lease: {}", queued.id(), e.getMessage());
        }
    }
}
