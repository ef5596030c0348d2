package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.cloudapi.GraphSettings;
import com.replyhero.whatsapp.messages.BroadcastRecipients;
import com.replyhero.whatsapp.messages.Claim;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageDelivery;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Sends the recipients of running broadcasts: per number of an org (its channel), one worker on each node reserves
 * send slots for that number in the database ({@link SendPacing}), claims that many due recipients with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, marks each {@code sending} (committed) shortly before its slot and
 * calls the Cloud API at the slot. A node that dies before the mark leaves the recipient queued: claimed again once the
 * lease runs out. Outcomes are recorded by
 * {@link MessageDelivery}: accepted; refused (failed, with Meta's error); not sent (queued again with
 * backoff and jitter: 5xx with Meta's error, 130429); or unknown (never sent again blindly). A node that
 * dies after the mark leaves the recipient {@code sending}; when that lease runs out it becomes
 * {@code unknown} (the call may have left), so no recipient is sent twice.
 */
@Component
class BroadcastDispatcher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(BroadcastDispatcher.class);

    private final Broadcasts broadcasts;
    /** How long a recipient's sending lease outlasts the Cloud API call's timeout. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private final BroadcastRecipients recipients;
    private final MessageDelivery delivery;
    private final Orgs orgs;
    private final SendPacing pacing;
    private final BroadcastAttempts attempts = new BroadcastAttempts();
    private final RefusalStorms storms;
    /** Lazily: the controls wake this dispatcher when a broadcast resumes. */
    private final ObjectProvider<BroadcastControls> controls;

    private final Duration pollInterval;
    private final boolean pacingEnabled;
    private final Duration window;
    private final Duration lead;
    private final Duration markAhead;
    private final double rateMargin;
    private final int batch;
    private final Duration claimLease;
    private final Duration sendLease;
    private final Duration slotTolerance;
    /** How long after its mark a recipient's call may still start (its wait for its slot included). */
    private final Duration maxGap;

    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Map<Broadcasts.Sender, Worker> workers = new HashMap<>();
    private volatile boolean stopping;

    BroadcastDispatcher(
            Broadcasts broadcasts,
            BroadcastRecipients recipients,
            MessageDelivery delivery,
            Orgs orgs,
            SendPacing pacing,
            BroadcastSettings settings,
            GraphSettings graph,
            ObjectProvider<BroadcastControls> controls) {
        this.controls = controls;
        this.storms = new RefusalStorms(settings.refusalPause(), RefusalStorms.IDLE);
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.delivery = delivery;
        this.orgs = orgs;
        this.pacing = pacing;
        this.pollInterval = settings.pollInterval();
        this.pacingEnabled = settings.pacing();
        this.window = settings.slotWindow();
        // claim a little before the first slot, so that the claim's own latency does not make the first sends late
        this.lead = window.dividedBy(4);
        // small: a node that dies leaves what it marked unknown, even the sends whose slot had not come yet
        this.markAhead = settings.markAhead();
        this.rateMargin = settings.rateMargin();
        this.batch = settings.batch();
        this.maxInFlight = settings.maxInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        // a claim outlives the wait for a slot, a send outlives the Cloud API call: only a dead node lets them run out
        this.claimLease = settings.claimLease();
        this.slotTolerance = settings.slotTolerance();
        this.sendLease = graph.requestTimeout().plus(LEASE_MARGIN);
        this.maxGap = markAhead.plus(LEASE_MARGIN.dividedBy(2));
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::dispatch, pollInterval, Duration.ofSeconds(1)));
    }

    void dispatch() {
        storms.forgetIdle();
        try {
            broadcasts.startDue().forEach(this::wake);
            broadcasts.sendersOfRunningBroadcasts().forEach(this::wake);
        } catch (RuntimeException e) {
            log.warn("Broadcast dispatch failed; will try again: {}", e.getMessage());
        }
    }

    /** Makes sure this node works on the due recipients of the org's number now. */
    synchronized void wake(Broadcasts.Sender sender) {
        if (stopping) {
            return;
        }
        Worker worker = workers.get(sender);
        if (worker != null) {
            worker.again = true;
            return;
        }
        worker = new Worker(sender);
        workers.put(sender, worker);
        Thread.ofVirtual()
                .name("broadcast-" + sender.orgId() + "-" + sender.channelId())
                .start(worker);
    }

    /** Counts this node's attempts on the org's recipients, for a synchronous send to wait on (close it after). */
    BroadcastAttempts.Watch watch(String orgId) {
        return attempts.watch(orgId);
    }

    private synchronized boolean retire(Worker worker) {
        if (worker.again && !stopping) {
            worker.again = false;
            return false;
        }
        workers.remove(worker.sender);
        return true;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        // let the sends that are under way finish and record their outcome
        if (inFlight.tryAcquire(maxInFlight, 15, TimeUnit.SECONDS)) {
            inFlight.release(maxInFlight);
        }
    }

    /** Sends one number's recipients: each number keeps its own pace, so a slow one never holds back another. */
    private final class Worker implements Runnable {

        final Broadcasts.Sender sender;
        final String orgId;
        volatile boolean again;

        Worker(Broadcasts.Sender sender) {
            this.sender = sender;
            this.orgId = sender.orgId();
        }

        @Override
        public void run() {
            try {
                do {
                    while (!stopping && round()) {
                        // keep going while there is due work
                    }
                } while (!retire(this));
            } catch (RuntimeException e) {
                log.warn(
                        "Broadcast worker for org {} channel {} stopped: {}",
                        orgId,
                        sender.channelId(),
                        e.getMessage());
                synchronized (BroadcastDispatcher.this) {
                    workers.remove(sender);
                }
            }
        }

        /** One round: reserve slots, claim that many recipients, start their sends. Answers whether it found work. */
        private boolean round() {
            // only running broadcasts are sent: read each round, so a pause or a cancel stops the next claim
            List<String> running = broadcasts.runningOf(sender);
            if (running.isEmpty()) {
                return false;
            }
            Optional<Channel> channel =
                    sender.channelId() == null ? Optional.empty() : orgs.channel(orgId, sender.channelId());
            if (channel.isEmpty()) {
                List<Claim> claimed = recipients.claimDue(orgId, null, true, running, batch, claimLease);
                claimed.forEach(c -> {
                    recipients.markFailed(
                            orgId, c.message().id(), Channel.NOT_CONFIGURED, "the org has no WhatsApp channel");
                    attempts.attempted(orgId);
                });
                return !claimed.isEmpty();
            }
            int rate = channel.get().throughputPerSecond();
            if (!pacingEnabled) {
                List<Claim> claimed = claimDue(running, batch);
                long start = System.nanoTime();
                claimed.forEach(c -> send(c, channel.get(), start));
                return !claimed.isEmpty();
            }
            // a little under the limit, so that the jitter of the calls never takes a second above it
            double paced = Math.max(0.5, rate * rateMargin);
            int want = (int) Math.max(1, Math.min(batch, paced * window.toMillis() / 1000));
            SendPacing.Slots slots = pacing.reserve(orgId, sender.channelId(), paced, want);
            long first = System.nanoTime() + slots.nanosToFirst();
            sleepUntil(first - lead.toNanos());
            List<Claim> claimed = claimDue(running, want);
            pacing.release(orgId, sender.channelId(), slots, want - claimed.size());
            for (int i = 0; i < claimed.size(); i++) {
                send(claimed.get(i), channel.get(), first + slots.interval().toNanos() * i);
            }
            return !claimed.isEmpty();
        }

        /** A refusal storm pauses the broadcast (see {@link RefusalStorms}). */
        private void watchForStorms(MessageDelivery.Attempt attempt) {
            Message message = attempt.message();
            String broadcastId = message.broadcastId();
            if (broadcastId == null || !attempt.recorded()) {
                return;
            }
            Integer refusal = message.status() == MessageStatus.FAILED && attempt.failure() != null
                    ? attempt.failure().code()
                    : null;
            if (refusal == null && message.status() != MessageStatus.ACCEPTED) {
                return; // not an outcome of Meta's: a retry, an unknown
            }
            storms.record(orgId, broadcastId, refusal).ifPresent(reason -> {
                storms.forget(orgId, broadcastId);
                controls.getObject().pause(orgId, broadcastId, reason);
            });
        }

        private List<Claim> claimDue(List<String> running, int limit) {
            return recipients.claimDue(orgId, sender.channelId(), sender.isDefault(), running, limit, claimLease);
        }

        private void send(Claim claimed, Channel channel, long atNanos) {
            inFlight.acquireUninterruptibly();
            Thread.ofVirtual().start(() -> {
                try {
                    // marked a little ahead of the slot, so that the database's latency does not make the call
                    // late (late calls bunch up, and Meta counts the second they arrive in)
                    sleepUntil(atNanos - markAhead.toNanos());
                    if (stopping) {
                        // shutting down: start no new call; the claim goes back (else its lease runs out)
                        recipients.releaseClaim(
                                orgId(claimed), claimed.message().id());
                        return;
                    }
                    if (pacingEnabled && System.nanoTime() - atNanos > slotTolerance.toNanos()) {
                        // too late for its slot (a busy machine, a full in-flight limit): sent now it would crowd
                        // the next slots and take the number above its rate; it gets a new slot instead
                        recipients.releaseClaim(
                                orgId(claimed), claimed.message().id());
                        return;
                    }
                    // the request is built before the mark, and a sender held up after its mark for longer than
                    // half the lease's margin does not call: its lease running out means "stopped before or during
                    // the call", never "still about to call" (a message whose sender stopped is sent again when
                    // Meta sends no status for it)
                    Optional<MessageDelivery.Attempt> attempt = delivery.attemptQueued(
                            claimed.message(),
                            channel,
                            claimed.phone(),
                            () -> recipients
                                    .markSending(
                                            orgId(claimed), claimed.message().id(), sendLease.plus(markAhead))
                                    .map(message -> {
                                        sleepUntil(atNanos);
                                        return message;
                                    }),
                            maxGap);
                    attempt.ifPresent(this::watchForStorms);
                } catch (RuntimeException e) {
                    // the lease runs out and the message becomes unknown: never sent twice
                    log.warn(
                            "Sending broadcast message {} failed: {}",
                            claimed.message().id(),
                            e.getMessage());
                } finally {
                    inFlight.release();
                    attempts.attempted(orgId(claimed)); // its outcome is recorded (or it went back to the queue)
                }
            });
        }
    }

    private static String orgId(Claim claimed) {
        return claimed.message().orgId();
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
