package com.replyhero.whatsapp.events;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed delivery is tried again: exponential backoff ({@code base}, 2x, 4x ... capped) with full
 * jitter between half and all of the step, for as long as the event's retry period lasts; the first failure
 * at or after its end makes the event dead. The period (25 hours by default) gives at least a day of retries.
 */
record RetryPolicy(Duration base, Duration cap) {

    /** The next attempt's time, or null when the event is dead. */
    Instant next(int attemptsSoFar, Instant now, Instant retryUntil) {
        if (!now.isBefore(retryUntil)) {
            return null;
        }
        Instant next = now.plus(delay(attemptsSoFar));
        return next.isAfter(retryUntil) ? retryUntil : next;
    }

    /** The wait after the {@code attempt}-th failure (1-based). */
    Duration delay(int attempt) {
        long ceiling = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 30);
        if (ceiling <= 0 || ceiling > cap.toMillis()) {
            ceiling = cap.toMillis();
        }
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
