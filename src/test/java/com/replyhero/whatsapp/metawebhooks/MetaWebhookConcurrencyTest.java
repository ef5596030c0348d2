package com.replyhero.whatsapp.metawebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

class MetaWebhookConcurrencyTest {

    @Test
    void aWebhookBeyondTheConcurrencyLimitIsRefusedBeforeItsBodyIsRead() throws Exception {
        AtomicBoolean read = new AtomicBoolean();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks/meta") {
            @Override
            public ServletInputStream getInputStream() {
                read.set(true);
                return new ServletInputStream() {
                    @Override
                    public int read() {
                        return -1;
                    }

                    @Override
                    public boolean isFinished() {
                        return true;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {}
                };
            }
        };
        MetaWebhookController noPermitsLeft =
                new MetaWebhookController(null, null, JsonMapper.builder().build(), settingsWithPermits(0));

        ResponseEntity<?> answer = noPermitsLeft.receive("sha256=00", request);

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(read).as("the body was touched").isFalse();
    }

    private static MetaWebhookSettings settingsWithPermits(int permits) {
        return new MetaWebhookSettings(
                permits, 8, Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofMinutes(10), Duration.ofSeconds(10));
    }
}
