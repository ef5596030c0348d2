package com.replyhero.whatsapp.sandbox.faults;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.SandboxSettings;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The faults the sandbox injects, changed at run time through {@code /sandbox/faults}: what a flaky Meta
 * does. Rates are fractions of requests (0.05 is 5 %). Without faults set, the sandbox only adds the
 * startup latency {@code rh.sandbox.latency} (default 0).
 */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxFaults {

    /** The error answers the sandbox can give, by the name used in {@code errors}: HTTP statuses and Meta codes. */
    static final Set<String> ERRORS = Set.of("500", "503", "130429", "131056", "131026", "190");

    /**
     * The whole fault setting. {@code errors}: name → rate; {@code dropAnswer}: accepted (counted in the
     * ledger, statuses sent) but the connection is closed instead of answering; {@code resetConnection}:
     * the request is read (counted as received), not accepted, and the connection closed without an answer; {@code throttleBurst}: every {@code everyMs}, for
     * {@code lengthMs}, every send is answered 130429.
     */
    public record Settings(
            Long latencyMs,
            Map<String, Double> errors,
            Double dropAnswer,
            Double resetConnection,
            Burst throttleBurst,
            StatusFaults statuses) {

        public Settings {
            errors = errors == null ? Map.of() : Map.copyOf(errors);
            dropAnswer = dropAnswer == null ? 0 : dropAnswer;
            resetConnection = resetConnection == null ? 0 : resetConnection;
            statuses = statuses == null ? StatusFaults.NONE : statuses;
        }

        static Settings none(long latencyMs) {
            return new Settings(latencyMs, Map.of(), 0.0, 0.0, null, StatusFaults.NONE);
        }
    }

    /** A throttling burst: every {@code everyMs}, the first {@code lengthMs} answer 130429. */
    public record Burst(long everyMs, long lengthMs) {}

    /**
     * Faults of the status webhooks: each status delayed by {@code delayMs}; a fraction of messages whose
     * statuses are {@code late} by {@code lateMs}; a fraction of statuses posted twice ({@code duplicate});
     * a fraction of messages whose statuses come in reverse order ({@code reorder}); a fraction of statuses
     * never sent ({@code lose}).
     */
    public record StatusFaults(Long delayMs, Double late, Long lateMs, Double duplicate, Double reorder, Double lose) {
        static final StatusFaults NONE = new StatusFaults(0L, 0.0, 0L, 0.0, 0.0, 0.0);

        public StatusFaults {
            delayMs = delayMs == null ? 0 : delayMs;
            late = late == null ? 0 : late;
            lateMs = lateMs == null ? 0 : lateMs;
            duplicate = duplicate == null ? 0 : duplicate;
            reorder = reorder == null ? 0 : reorder;
            lose = lose == null ? 0 : lose;
        }
    }

    private final long defaultLatencyMs;
    private volatile Settings settings;
    private final AtomicLong errorsAnswered = new AtomicLong();
    private final AtomicLong answersDropped = new AtomicLong();
    private final AtomicLong connectionsReset = new AtomicLong();

    SandboxFaults(SandboxSettings settings) {
        this.defaultLatencyMs = settings.latency().toMillis();
        this.settings = Settings.none(defaultLatencyMs);
    }

    public Settings settings() {
        return settings;
    }

    /** Replaces every fault at once (a missing latency keeps {@code rh.sandbox.latency}). */
    public Settings set(Settings given) {
        Settings requested = given.latencyMs() != null
                ? given
                : new Settings(
                        defaultLatencyMs,
                        given.errors(),
                        given.dropAnswer(),
                        given.resetConnection(),
                        given.throttleBurst(),
                        given.statuses());
        requested.errors().forEach((name, rate) -> {
            if (!ERRORS.contains(name)) {
                throw SandboxException.invalid("errors", "errors names one of " + ERRORS + ", not " + name);
            }
            checkRate("errors." + name, rate);
        });
        checkRate("dropAnswer", requested.dropAnswer());
        checkRate("resetConnection", requested.resetConnection());
        StatusFaults s = requested.statuses();
        checkRate("statuses.late", s.late());
        checkRate("statuses.duplicate", s.duplicate());
        checkRate("statuses.reorder", s.reorder());
        checkRate("statuses.lose", s.lose());
        if (requested.latencyMs() < 0 || s.delayMs() < 0 || s.lateMs() < 0) {
            throw SandboxException.invalid("latencyMs", "durations are milliseconds, 0 or more");
        }
        Burst burst = requested.throttleBurst();
        if (burst != null && (burst.everyMs() <= 0 || burst.lengthMs() < 0 || burst.lengthMs() > burst.everyMs())) {
            throw SandboxException.invalid(
                    "throttleBurst", "throttleBurst needs everyMs > 0 and 0 <= lengthMs <= everyMs");
        }
        settings = requested;
        return requested;
    }

    /** Back to no faults (the startup latency stays). */
    public Settings clear() {
        settings = Settings.none(defaultLatencyMs);
        return settings;
    }

    long defaultLatencyMs() {
        return defaultLatencyMs;
    }

    private static void checkRate(String field, Double rate) {
        if (rate == null || rate < 0 || rate > 1) {
            throw SandboxException.invalid(field, field + " is a rate between 0 and 1");
        }
    }

    /** The error to answer this request with, or null: a throttling burst first, then each error's rate. */
    public String errorNow(long nowMillis) {
        Settings s = settings;
        Burst burst = s.throttleBurst();
        if (burst != null && nowMillis % burst.everyMs() < burst.lengthMs()) {
            errorsAnswered.incrementAndGet();
            return "130429";
        }
        double roll = ThreadLocalRandom.current().nextDouble();
        double sum = 0;
        for (Map.Entry<String, Double> error : s.errors().entrySet()) {
            sum += error.getValue();
            if (roll < sum) {
                errorsAnswered.incrementAndGet();
                return error.getKey();
            }
        }
        return null;
    }

    public boolean dropAnswerNow() {
        if (chance(settings.dropAnswer())) {
            answersDropped.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean resetNow() {
        if (chance(settings.resetConnection())) {
            connectionsReset.incrementAndGet();
            return true;
        }
        return false;
    }

    public static boolean chance(double rate) {
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    public long errorsAnswered() {
        return errorsAnswered.get();
    }

    public long answersDropped() {
        return answersDropped.get();
    }

    public long connectionsReset() {
        return connectionsReset.get();
    }
}
