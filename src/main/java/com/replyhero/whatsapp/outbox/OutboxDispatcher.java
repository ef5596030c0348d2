package com.replyhero.whatsapp.outbox;

import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageDelivery;
import com.replyhero.whatsapp.messages.Messages;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The durable send queue: messages waiting for a retry are claimed with {@code FOR UPDATE SKIP LOCKED} and a
 * lease (so several gateway nodes share the work and none sends a message another holds), then attempted.
 * Also settles what a crash left behind: a lease that ran out while {@code sending} means the sender died
 * mid-call, so the message becomes {@code unknown}; an {@code unknown} past its deadline becomes
 * {@code failed} with {@code outcome_unknown}.
 */
@Component
class OutboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final int BATCH = 100;

    private final Messages messages;
    private final MessageDelivery delivery;
    private final Customers customers;
    private final Orgs orgs;
    private final Duration lease;
    private final Duration unknownDeadline;

    OutboxDispatcher(
            Messages messages,
            MessageDelivery delivery,
            Customers customers,
            Orgs orgs,
            @Value("${rh.graph.request-timeout:20s}") Duration requestTimeout,
            @Value("${rh.outbox.unknown-deadline:15m}") Duration unknownDeadline,
            @Value("${rh.outbox.lease-margin:30s}") Duration leaseMargin) {
        this.messages = messages;
        this.delivery = delivery;
        this.customers = customers;
        this.orgs = orgs;
        this.lease = requestTimeout.plus(leaseMargin);
        this.unknownDeadline = unknownDeadline;
    }

    @Scheduled(fixedDelayString = "${rh.outbox.poll-interval:500ms}", initialDelayString = "2s")
    void dispatchDue() {
        try {
            List<Message> due;
            do {
                due = messages.claimDue(BATCH, lease);
                due.forEach(this::attempt);
            } while (due.size() == BATCH);
        } catch (RuntimeException e) {
            log.warn("Outbox dispatch failed; will try again: {}", e.getMessage());
        }
    }

    @Scheduled(fixedDelayString = "${rh.outbox.sweep-interval:5s}", initialDelayString = "1s")
    void settleInFlight() {
        try {
            int orphaned = messages.expireSendingLeases(unknownDeadline);
            if (orphaned > 0) {
                log.warn(
                        "{} message(s) were left mid-send by a stopped gateway: outcome unknown until Meta's status"
                                + " webhook settles them",
                        orphaned);
            }
            List<Message> expired = messages.failExpiredUnknowns(BATCH);
            if (!expired.isEmpty()) {
                log.warn(
                        "{} message(s) got no status before the deadline: failed with outcome_unknown", expired.size());
            }
        } catch (RuntimeException e) {
            log.warn("Settling in-flight messages failed; will try again: {}", e.getMessage());
        }
    }

    private void attempt(Message message) {
        Optional<Channel> channel = orgs.channel(message.orgId());
        Optional<Customer> customer = customers.find(message.orgId(), message.customerId());
        if (channel.isEmpty() || customer.isEmpty()) {
            messages.markFailed(
                    message.orgId(), message.id(), "channel_not_configured", null, "the org has no WhatsApp channel");
            return;
        }
        delivery.attempt(message, channel.get(), customer.get().phone());
    }
}
