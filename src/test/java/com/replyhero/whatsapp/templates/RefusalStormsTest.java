package com.replyhero.whatsapp.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefusalStormsTest {

    @Test
    void theThresholdOfOneCodeAmongTheLastOutcomesMakesAStorm() {
        RefusalStorms storms = new RefusalStorms(3, Duration.ofHours(1));
        assertThat(storms.record("org", "b", 131026)).isEmpty();
        assertThat(storms.record("org", "b", null)).isEmpty();
        assertThat(storms.record("org", "b", 131049)).isEmpty();
        assertThat(storms.record("org", "b", 131026)).isEmpty();
        assertThat(storms.record("org", "b", 131026))
                .hasValueSatisfying(why -> assertThat(why).contains("131026"));
        // the window starts over after a storm
        assertThat(storms.record("org", "b", 131026)).isEmpty();
    }

    @Test
    void broadcastsWithoutOutcomesAreForgotten() throws InterruptedException {
        RefusalStorms remembering = new RefusalStorms(3, Duration.ofHours(1));
        RefusalStorms forgetting = new RefusalStorms(3, Duration.ofMillis(1));
        for (int i = 0; i < 50; i++) {
            remembering.record("org", "broadcast-" + i, null);
            forgetting.record("org", "broadcast-" + i, null);
        }
        Thread.sleep(5);
        remembering.forgetIdle();
        forgetting.forgetIdle();
        assertThat(remembering.watched()).isEqualTo(50);
        assertThat(forgetting.watched()).isZero();
    }
}
