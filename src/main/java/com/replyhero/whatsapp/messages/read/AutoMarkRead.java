package com.replyhero.whatsapp.messages.read;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageReceived;
import com.replyhero.whatsapp.orgs.Org;
import com.replyhero.whatsapp.orgs.Orgs;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Marks a customer's message read as soon as it is stored, for an org that asks for it ({@code autoMarkRead}): after
 * the webhook's transaction committed, on a few threads of its own, so that the mark never holds up or fails Meta's
 * webhook. A receipt is cosmetic and best effort: one that fails is logged, not retried, and those waiting when the
 * gateway stops are dropped.
 */
@Component
class AutoMarkRead {

    private static final Logger log = LoggerFactory.getLogger(AutoMarkRead.class);

    /** At most this many at once: each reads the org and calls the Cloud API. */
    private static final int THREADS = 4;
    /** Beyond this many waiting, new ones are dropped (a burst of inbound messages outruns the Cloud API). */
    private static final int BACKLOG = 10_000;

    private final Orgs orgs;
    private final ReadReceipts receipts;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BACKLOG),
            Thread.ofVirtual().name("auto-mark-read-", 0).factory());

    AutoMarkRead(Orgs orgs, ReadReceipts receipts) {
        this.orgs = orgs;
        this.receipts = receipts;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageReceived received) {
        Message message = received.message();
        try {
            executor.execute(() -> mark(message));
        } catch (RejectedExecutionException e) {
            log.warn(
                    "Not marking message {} of org {} read: {} receipts are waiting",
                    message.id(),
                    message.orgId(),
                    BACKLOG);
        }
    }

    private void mark(Message message) {
        try {
            if (orgs.find(message.orgId()).map(Org::autoMarkRead).orElse(false)) {
                receipts.markRead(message, false);
            }
        } catch (RuntimeException e) {
            log.info("Could not mark message {} of org {} read: {}", message.id(), message.orgId(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(2, TimeUnit.SECONDS);
    }
}
