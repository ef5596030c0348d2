package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The shared pace of a number: slots reserved by concurrent senders (nodes) never overlap. */
class SendPacingTest extends GatewayTest {

    @Autowired
    private SendPacing pacing;

    @Test
    void concurrentReservationsGetDisjointSlotsAtTheNumbersRate() throws Exception {
        TestOrg org = anOrg();
        int rate = 1000;
        List<SendPacing.Slots> reservations = Collections.synchronizedList(new ArrayList<>());

        try (ExecutorService nodes = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (int node = 0; node < 4; node++) {
                done.add(nodes.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        reservations.add(pacing.reserve(org.orgId(), org.channelId(), rate, 5));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }

        List<SendPacing.Slots> sorted = new ArrayList<>(reservations);
        sorted.sort(Comparator.comparingLong(SendPacing.Slots::endMicros));
        long intervalMicros = 1_000_000 / rate;
        for (int i = 1; i < sorted.size(); i++) {
            long start = sorted.get(i).endMicros() - 5 * intervalMicros;
            assertThat(start).isGreaterThanOrEqualTo(sorted.get(i - 1).endMicros());
        }
        assertThat(sorted.getLast().endMicros() - sorted.getFirst().endMicros())
                .isGreaterThanOrEqualTo(39 * 5 * intervalMicros);
    }

    @Test
    void unusedSlotsAreGivenBackWhenNobodyReservedAfterThem() {
        TestOrg org = anOrg();
        SendPacing.Slots first = pacing.reserve(org.orgId(), org.channelId(), 10, 10);

        pacing.release(org.orgId(), org.channelId(), first, 10);
        SendPacing.Slots next = pacing.reserve(org.orgId(), org.channelId(), 10, 1);

        assertThat(next.endMicros()).isLessThan(first.endMicros());
    }
}
