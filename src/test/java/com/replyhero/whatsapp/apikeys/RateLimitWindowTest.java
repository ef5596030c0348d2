package com.replyhero.whatsapp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The per-key limit holds in every one-second interval, not only within the database clock's whole seconds. */
class RateLimitWindowTest extends GatewayTest {

    private static final int LIMIT = 20;
    // the let-through instants are seen by the client, a few milliseconds after the database counted them
    private static final long JITTER_NANOS = Duration.ofMillis(40).toNanos();

    @Test
    void aBurstAcrossASecondBoundaryOnTwoNodesGetsNoMoreThanTheLimitInAnyOneSecond() throws Exception {
        TestOrg org = anOrg();
        ApiKeys nodeA =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(1000), new ApiKeySettings(Duration.ofSeconds(1)));
        ApiKeys nodeB =
                new ApiKeys(db, asyncCommit, new RateLimitSettings(1000), new ApiKeySettings(Duration.ofSeconds(1)));
        String key = nodeA.create(org.orgId(), "burst", Scope.all(), LIMIT).key();
        long runNanos = Duration.ofMillis(2500).toNanos();

        sleepUntilTheDatabaseSecondIsAt(0.9);
        List<Long> letThrough = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> hammers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ApiKeys node = t % 2 == 0 ? nodeA : nodeB;
                hammers.add(threads.submit(() -> {
                    while (System.nanoTime() - start < runNanos) {
                        if (!node.authenticateAndCount(key).orElseThrow().overLimit()) {
                            letThrough.add(System.nanoTime());
                        }
                    }
                }));
            }
            for (Future<?> hammer : hammers) {
                hammer.get();
            }
        }

        List<Long> sorted = letThrough.stream().sorted().toList();
        int mostInOneSecond = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) > Duration.ofSeconds(1).toNanos() - JITTER_NANOS) {
                j++;
            }
            mostInOneSecond = Math.max(mostInOneSecond, i - j + 1);
        }
        assertThat(mostInOneSecond).as("let through within any one second").isLessThanOrEqualTo(LIMIT + 1);
        assertThat(sorted.size())
                .as("let through in 2.5 s at %d per second", LIMIT)
                .isGreaterThanOrEqualTo(2 * LIMIT);
    }

    /** Waits until the database clock's current second is at the given fraction, where fixed windows end. */
    private void sleepUntilTheDatabaseSecondIsAt(double fraction) throws InterruptedException {
        double now = db.sql("SELECT extract(epoch FROM clock_timestamp())::float8")
                .query(Double.class)
                .single();
        double into = now - Math.floor(now);
        double wait = into <= fraction ? fraction - into : 1 - into + fraction;
        Thread.sleep((long) (wait * 1000));
    }
}
