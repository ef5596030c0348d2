package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Meta's throughput limit per business number: above {@code rh.sandbox.throughput-per-second} messages per
 * second (0: no limit) a send is refused with 130429. A token bucket per number holding a fifth of a
 * second's worth, so short jitter passes but a sustained excess does not.
 */
@Component
@Conditional(SandboxEnabled.class)
class SandboxThrottle {

    private final int ratePerSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    SandboxThrottle(SandboxSettings settings) {
        this.ratePerSecond = settings.throughputPerSecond();
    }

    private static final class Bucket {
        double tokens;
        long last = System.nanoTime();

        Bucket(double tokens) {
            this.tokens = tokens;
        }
    }

    /** Takes one send from the number's budget; false when it is over the limit. */
    boolean allow(String phoneNumberId) {
        if (ratePerSecond <= 0) {
            return true;
        }
        double capacity = Math.max(1, ratePerSecond / 5.0);
        Bucket bucket = buckets.computeIfAbsent(phoneNumberId, k -> new Bucket(capacity));
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.last) / 1e9 * ratePerSecond);
            bucket.last = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }
}
