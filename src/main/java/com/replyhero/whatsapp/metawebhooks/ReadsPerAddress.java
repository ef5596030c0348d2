package com.replyhero.whatsapp.metawebhooks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code max} webhook bodies read at once from one remote address (0: no limit), so one sender cannot take
 * every webhook permit with bodies it never finishes. Only addresses with a read under way are kept.
 */
final class ReadsPerAddress {

    private final int max;
    private final ConcurrentMap<String, Integer> reading = new ConcurrentHashMap<>();

    ReadsPerAddress(int max) {
        this.max = max;
    }

    /** A read for this address, or null when the address has its {@code max} under way. */
    Read tryStart(String address) {
        if (max <= 0) {
            return new Read(null);
        }
        AtomicBoolean started = new AtomicBoolean();
        reading.compute(address, (a, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            started.set(true);
            return now + 1;
        });
        return started.get() ? new Read(address) : null;
    }

    /** One read under way; closing it (once, however often it is called) frees its place. */
    final class Read implements AutoCloseable {

        private final String address;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Read(String address) {
            this.address = address;
        }

        @Override
        public void close() {
            if (address != null && open.compareAndSet(true, false)) {
                reading.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
            }
        }
    }
}
