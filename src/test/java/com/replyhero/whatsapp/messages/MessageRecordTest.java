package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MessageRecordTest {

    @Test
    void timestampsUseTheSeedsFormatInTheOrgsTimeZone() {
        ZonedDateTime utc = ZonedDateTime.of(2024, 3, 16, 16, 45, 25, 0, ZoneId.of("UTC"));

        String formatted = MessageRecord.TIMESTAMP.format(utc.withZoneSameInstant(ZoneId.of("Asia/Kuala_Lumpur")));

        assertThat(formatted).isEqualTo("Sun, 17 Mar 2024 00:45:25 +0800");
        assertThat(MessageRecord.TIMESTAMP.format(utc)).isEqualTo("Sat, 16 Mar 2024 16:45:25 +0000");
    }

    @Test
    void backoffGrowsAndStaysWithinItsBounds() {
        assertThat(MessageDelivery.backoff(1).toMillis()).isBetween(500L, 1000L);
        assertThat(MessageDelivery.backoff(4).toMillis()).isBetween(4000L, 8000L);
        assertThat(MessageDelivery.backoff(30).toMillis()).isBetween(150_000L, 300_000L);
    }
}
