package com.replyhero.whatsapp.cloudapi;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;

/**
 * A send's body that the HTTP client gets only at the moment it writes the request, and only if its sender has not
 * been held up since its durable mark for longer than it may ({@link #arm}): a sender frozen inside the HTTP client
 * (a paused VM, SIGSTOP, a starved machine) past that point fails the request before its body leaves, so the
 * upstream, which waits for the whole body, never takes it. It also tells whether the body was handed over at all:
 * a request that failed before that (a timeout that ran while the sender was held up) provably did not take effect.
 */
final class GuardedBody implements HttpRequest.BodyPublisher {

    private final byte[] bytes;
    private volatile long markedAtNanos;
    private volatile long maxGapNanos = Long.MAX_VALUE;
    private volatile boolean handedOver;

    GuardedBody(byte[] bytes) {
        this.bytes = bytes;
    }

    /** From now on the body is given only within {@code maxGap} of {@code markedAtNanos} ({@link System#nanoTime}). */
    void arm(long markedAtNanos, Duration maxGap) {
        this.markedAtNanos = markedAtNanos;
        this.maxGapNanos = maxGap.toNanos();
    }

    /** Whether the HTTP client got the body: if not, nothing of this request can have taken effect. */
    boolean handedOver() {
        return handedOver;
    }

    @Override
    public long contentLength() {
        return bytes.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Flow.Subscription() {
            private boolean done;

            @Override
            public synchronized void request(long n) {
                if (done || n <= 0) {
                    return;
                }
                done = true;
                if (maxGapNanos != Long.MAX_VALUE && System.nanoTime() - markedAtNanos > maxGapNanos) {
                    subscriber.onError(new HeldUp());
                    return;
                }
                handedOver = true;
                subscriber.onNext(ByteBuffer.wrap(bytes));
                subscriber.onComplete();
            }

            @Override
            public synchronized void cancel() {
                done = true;
            }
        });
    }

    /** The sender was held up too long after its mark: the request is failed before its body leaves. */
    static final class HeldUp extends IOException {
        HeldUp() {
            super("the sender was held up too long after its mark; the request's body was not sent");
        }
    }
}
