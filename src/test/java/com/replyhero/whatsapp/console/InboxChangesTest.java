package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboxChangesTest {

    @Test
    void aLargeBatchIsAnnouncedInPartsBelowPostgresPayloadLimitWithEveryPairOnce() {
        List<Conversations.Touch> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(new Conversations.Touch("org" + (i % 3), "customer-" + i, Instant.EPOCH));
        }

        List<String> payloads = InboxChanges.payloads(batch);

        assertThat(payloads).hasSizeGreaterThan(1);
        assertThat(payloads).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(InboxChanges.MAX_PAYLOAD));
        assertThat(payloads.stream().flatMap(p -> Arrays.stream(p.split("\n"))).toList())
                .containsExactlyElementsOf(batch.stream()
                        .map(t -> t.orgId() + ":" + t.customerId())
                        .toList());
    }

    @Test
    void noChangeIsNoAnnouncement() {
        assertThat(InboxChanges.payloads(List.of())).isEmpty();
    }
}
