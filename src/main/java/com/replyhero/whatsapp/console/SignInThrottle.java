package com.replyhero.whatsapp.console;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Sign-in attempts per client address and minute, on this node: above {@link ConsoleSettings#signInsPerMinute}
 * an address is refused before any password is checked. Accounts are locked in the database (across nodes) by
 * failed sign-ins; this bounds how fast one address may guess across many accounts.
 */
@Component
class SignInThrottle {

    private record Window(long minute, AtomicInteger attempts) {}

    private final int perMinute;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    SignInThrottle(ConsoleSettings settings) {
        this.perMinute = settings.signInsPerMinute();
    }

    /** Counts an attempt from the address; false when the address has used up this minute's attempts. */
    boolean tryAttempt(String address) {
        long minute = System.currentTimeMillis() / 60_000;
        if (windows.size() > 10_000) {
            windows.values().removeIf(window -> window.minute() < minute);
        }
        Window window = windows.compute(
                address == null ? "" : address,
                (key, old) -> old == null || old.minute() != minute ? new Window(minute, new AtomicInteger()) : old);
        return window.attempts().incrementAndGet() <= perMinute;
    }
}
