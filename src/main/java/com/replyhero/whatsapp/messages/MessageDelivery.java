package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.cloudapi.UpstreamFailure;
import com.replyhero.whatsapp.cloudapi.WhatsAppApiException;
import com.replyhero.whatsapp.messages.retryqueue.RetryQueueSettings;
import com.replyhero.whatsapp.messages.send.CloudApiPayloads;
import com.replyhero.whatsapp.messages.store.DeliveryStates;
import com.replyhero.whatsapp.orgs.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * One attempt to hand a stored message to the Cloud API, and the record of how it went: accepted; refused
 * (failed); provably not sent (queued again with backoff and jitter, up to a bound); or uncertain
 * ({@code unknown}, never retried blindly: Meta's status webhook, which echoes our id, settles it).
 */
@Component
public class MessageDelivery {

    private static final Logger log = LoggerFactory.getLogger(MessageDelivery.class);

    /**
     * How an attempt ended: the message as stored now, the failure when there was one, and whether the outcome
     * was recorded. Not recorded (the database failed after a call that may have left, or that Meta accepted):
     * the message stays {@code sending}, its lease runs out and it becomes {@code unknown}, and Meta's status
     * webhook settles it (with no status by the end of its wait it is sent again: see docs/api.md, "What a send
     * does").
     */
    public record Attempt(Message message, WhatsAppApiException failure, boolean recorded) {}

    private final CloudApi cloudApi;
    private final DeliveryStates states;
    private final MeterRegistry meters;
    private final int maxAttempts;
    private final Duration unknownDeadline;

    MessageDelivery(CloudApi cloudApi, DeliveryStates states, MeterRegistry meters, RetryQueueSettings settings) {
        this.cloudApi = cloudApi;
        this.states = states;
        this.meters = meters;
        this.maxAttempts = settings.maxAttempts();
        this.unknownDeadline = settings.unknownDeadline();
    }

    /**
     * The attempt of a message stored {@code sending} (its durable mark) after {@code markedAtNanos}
     * ({@link System#nanoTime()} just before the mark). A sender held up since for longer than {@code maxGap} (a
     * stopped or starved node) does not call: the message goes back to the queue if its lease is still this
     * sender's, else it is left to whoever took it (see {@link #attemptQueued}).
     */
    public Attempt attempt(Message message, Channel channel, String to, long markedAtNanos, Duration maxGap) {
        CloudApi.PreparedSend prepared;
        try {
            prepared = cloudApi.prepareMessage(channel, CloudApiPayloads.forMessage(message, to));
        } catch (WhatsAppApiException e) {
            return recordFailure(message, e); // provably not sent: nothing has left
        }
        JsonNode answer;
        try {
            if (System.nanoTime() - markedAtNanos > maxGap.toNanos()) {
                return new Attempt(notCalled(message), null, true);
            }
            prepared.arm(markedAtNanos, maxGap); // held up inside the HTTP client, its body does not leave either
            answer = cloudApi.send(prepared);
        } catch (CloudApi.RequestNotSent e) {
            return new Attempt(notCalled(message), null, true);
        } catch (WhatsAppApiException e) {
            return recordFailure(message, e);
        }
        return recordAccepted(message, answer);
    }

    /**
     * A message marked {@code sending} whose sender was held up too long to call: queued again, due now, if its
     * lease is still this sender's (no other node acts on a lease that has not run out), else as it is now.
     */
    private Message notCalled(Message message) {
        log.warn(
                "Message {} did not leave: marked sending too long ago to be sent safely, or its request failed before"
                        + " its body was sent; queued again if still this sender's",
                message.id());
        return states.markQueuedUncalled(message.orgId(), message.id(), message.leaseUntil());
    }

    /**
     * A queued message's attempt, with as little as possible between its {@code sending} mark and its call: the
     * request is built first (payload, token), then {@code mark} marks it (empty: it is not ours any more, nothing
     * is sent), then the call goes out at once. A sender held up between the mark and the call for longer than
     * {@code maxGap} (a stopped or starved node) does not call: the message goes back to the queue if its lease is
     * still this sender's; if the lease ran out, another node may already count the message as unknown (settled by
     * Meta's status, or sent again when none comes), and it is left to that, never sent by this sender.
     */
    public Optional<Attempt> attemptQueued(
            Message queued, Channel channel, String to, Supplier<Optional<Message>> mark, Duration maxGap) {
        CloudApi.PreparedSend prepared;
        try {
            prepared = cloudApi.prepareMessage(channel, CloudApiPayloads.forMessage(queued, to));
        } catch (WhatsAppApiException e) {
            return Optional.of(recordFailure(queued, e)); // provably not sent: nothing has left
        }
        long beforeMark = System.nanoTime(); // the lease starts at the mark's commit, after this instant
        Optional<Message> sending = mark.get();
        if (sending.isEmpty()) {
            return Optional.empty();
        }
        Message message = sending.get();
        JsonNode answer;
        try {
            if (System.nanoTime() - beforeMark > maxGap.toNanos()) {
                return Optional.of(new Attempt(notCalled(message), null, true));
            }
            prepared.arm(beforeMark, maxGap);
            answer = cloudApi.send(prepared);
        } catch (CloudApi.RequestNotSent e) {
            return Optional.of(new Attempt(notCalled(message), null, true));
        } catch (WhatsAppApiException e) {
            return Optional.of(recordFailure(message, e));
        }
        return Optional.of(recordAccepted(message, answer));
    }

    private Attempt recordAccepted(Message message, JsonNode answer) {
        String wamid = answer.path("messages").path(0).path("id").asString();
        count("accepted");
        try {
            return new Attempt(states.markAccepted(message.orgId(), message.id(), wamid, answer), null, true);
        } catch (RuntimeException e) {
            // Meta has it: "database unavailable, retry" would invite the client to send it a second time
            log.warn(
                    "Message {} was accepted by the Cloud API as {} but could not be recorded: {}",
                    message.id(),
                    wamid,
                    e.getMessage());
            return new Attempt(message, null, false);
        }
    }

    private Attempt recordFailure(Message message, WhatsAppApiException e) {
        if (e.outcome() != WhatsAppApiException.Outcome.UNCERTAIN) {
            // provably not sent, or refused: a database failure here may be answered as such (nothing left twice)
            return new Attempt(record(message, e), e, true);
        }
        try {
            return new Attempt(record(message, e), e, true);
        } catch (RuntimeException dbFailure) {
            log.warn(
                    "Message {} has an unknown outcome that could not be recorded: {}",
                    message.id(),
                    dbFailure.getMessage());
            return new Attempt(message, e, false);
        }
    }

    private Message record(Message message, WhatsAppApiException e) {
        switch (e.outcome()) {
            case REJECTED -> {
                count("rejected");
                return states.markFailed(message.orgId(), message.id(), e.errorCode(), e.code(), e.getMessage());
            }
            case NOT_SENT -> {
                if (message.attempts() >= maxAttempts) {
                    count("exhausted");
                    return states.markFailed(
                            message.orgId(),
                            message.id(),
                            UpstreamFailure.RETRIES_EXHAUSTED.code(),
                            e.code(),
                            "gave up after " + message.attempts() + " attempts: " + e.getMessage());
                }
                count("queued");
                Instant next = Instant.now().plus(backoff(message.attempts()));
                Message queued = states.markQueued(message.orgId(), message.id(), next, e.code(), e.getMessage());
                if (queued.status() == MessageStatus.QUEUED) {
                    log.info("Message {} not sent ({}); retry at {}", message.id(), e.getMessage(), next);
                } else {
                    // Meta's status webhook says otherwise (it took the message after all): never sent again
                    log.warn(
                            "Message {}: error answer ({}) but already {}",
                            message.id(),
                            e.getMessage(),
                            queued.status().value());
                }
                return queued;
            }
            default -> {
                count("unknown");
                log.warn("Message {} has an unknown outcome: {}", message.id(), e.getMessage());
                return states.markUnknown(
                        message.orgId(), message.id(), Instant.now().plus(unknownDeadline), e.getMessage());
            }
        }
    }

    /** Exponential backoff with jitter: about 1 s, 2 s, 4 s ... capped at 5 minutes, each between half and all. */
    static Duration backoff(int attempt) {
        long ceiling = Math.min(300_000L, 1000L << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    private void count(String outcome) {
        meters.counter("rh.messages.attempts", "outcome", outcome).increment();
    }
}
