package com.replyhero.whatsapp.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1));

    @RepeatedTest(20)
    void waitsGrowExponentiallyWithJitterUpToTheCap() {
        assertThat(policy.delay(1)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(policy.delay(2)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(policy.delay(5)).isBetween(Duration.ofSeconds(40), Duration.ofSeconds(80));
        assertThat(policy.delay(40)).isBetween(Duration.ofMinutes(30), Duration.ofHours(1));
    }

    @Test
    void anEventFailingEveryTimeIsRetriedForMoreThanADayThenDead() {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        Instant retryUntil = created.plus(Duration.ofHours(25));
        Instant now = created;
        int attempts = 1;

        Instant next = policy.next(attempts, now, retryUntil);
        while (next != null) {
            now = next;
            attempts++;
            next = policy.next(attempts, now, retryUntil);
        }

        assertThat(Duration.between(created, now)).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(attempts).isBetween(15, 60);
    }
}
