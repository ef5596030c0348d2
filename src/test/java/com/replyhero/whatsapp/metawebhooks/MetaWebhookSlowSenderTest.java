package com.replyhero.whatsapp.metawebhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * Senders that trickle a webhook's body (a byte at a time, never finishing, each byte well inside the connector's
 * read timeout) or drop it halfway. The signature can only be checked on the whole body, so until then anyone may
 * hold a webhook permit: small numbers here keep the test fast (4 permits, 3 per address, a 1 s deadline).
 */
@TestPropertySource(
        properties = {
            "rh.webhooks.max-concurrent=4",
            "rh.webhooks.max-concurrent-per-address=3",
            "rh.webhooks.body-read-deadline=1s"
        })
@ExtendWith(OutputCaptureExtension.class)
class MetaWebhookSlowSenderTest extends GatewayTest {

    private static final String EMPTY_EVENT = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";

    @Autowired
    MetaApp metaApp;

    private final List<SlowSender> slowSenders = new ArrayList<>();

    @AfterEach
    void hangUp() {
        slowSenders.forEach(SlowSender::hangUp);
    }

    @Test
    void slowBodiesHoldingEveryPermitAreCutAtTheDeadlineAndASignedWebhookIsServed() throws Exception {
        for (int i = 0; i < 4; i++) {
            slowSenders.add(aSlowSender("127.0.0." + (11 + i))); // one per address: only the deadline frees them
        }
        Thread.sleep(500); // their headers are in: each holds a permit while its body trickles

        long started = System.nanoTime();
        String signed = signedWebhookFrom("127.0.0.1");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(RawHttp.status(signed)).as(signed).isEqualTo(200);
        assertThat(waited).isLessThan(Duration.ofSeconds(2));
        for (SlowSender sender : slowSenders) {
            String answer = sender.answer();
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(408);
            assertThat(RawHttp.body(answer)).contains("\"code\":\"body_read_timeout\"");
        }
    }

    @Test
    void oneAddressReadsAtMostItsShareOfTheWebhooksAtOnce() throws Exception {
        for (int i = 0; i < 3; i++) {
            slowSenders.add(aSlowSender("127.0.0.21"));
        }
        Thread.sleep(500);

        String fromTheSameAddress = signedWebhookFrom("127.0.0.21");
        String fromElsewhere = signedWebhookFrom("127.0.0.1");

        assertThat(RawHttp.status(fromTheSameAddress)).as(fromTheSameAddress).isEqualTo(503);
        assertThat(RawHttp.body(fromTheSameAddress)).contains("\"code\":\"busy\"");
        assertThat(fromTheSameAddress).containsIgnoringCase("Retry-After: 1");
        assertThat(RawHttp.status(fromElsewhere)).as(fromElsewhere).isEqualTo(200);
    }

    @Test
    void aSenderThatGoesAwayMidBodyIsOneLineInTheLogNotAnError(CapturedOutput output) throws Exception {
        try (Socket socket = RawHttp.connect(port(), "127.0.0.31")) {
            OutputStream out = socket.getOutputStream();
            out.write(head(100).getBytes(StandardCharsets.ISO_8859_1));
            out.write("{\"object\":".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(200);
        }

        eventually(output::getOut, out -> out.contains("went away"), Duration.ofSeconds(5));
        assertThat(output.getOut()).doesNotContain("Unexpected failure").doesNotContain("ClientAbortException");
        assertThat(RawHttp.status(signedWebhookFrom("127.0.0.31"))).isEqualTo(200);
    }

    private String signedWebhookFrom(String address) {
        String signature = MetaSignature.sign(metaApp.appSecret(), EMPTY_EVENT.getBytes(StandardCharsets.UTF_8));
        return RawHttp.exchange(
                port(),
                address,
                RawHttp.post(
                        "/webhooks/meta",
                        EMPTY_EVENT,
                        "Content-Type: application/json",
                        MetaSignature.HEADER + ": " + signature));
    }

    private SlowSender aSlowSender(String address) {
        return new SlowSender(RawHttp.connect(port(), address));
    }

    private int port() {
        return Integer.parseInt(environment.getProperty("local.server.port"));
    }

    private static String head(int contentLength) {
        return "POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + MetaSignature.HEADER + ": sha256=" + "0".repeat(64) + "\r\nContent-Length: " + contentLength
                + "\r\n\r\n";
    }

    /**
     * Sends a webhook's head, then one byte of its 1,000-byte body every 200 ms until the server answers (at most
     * 15 s, so even unanswered it ends), and keeps what the server answered.
     */
    private static final class SlowSender {

        private final Socket socket;
        private final CompletableFuture<String> answer = new CompletableFuture<>();

        SlowSender(Socket socket) {
            this.socket = socket;
            Thread.ofVirtual().start(this::trickle);
        }

        private void trickle() {
            try {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(head(1000).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int sent = 0; sent < 75 && in.available() == 0; sent++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(200);
                }
                answer.complete(RawHttp.readAnswer(in));
            } catch (IOException | InterruptedException e) {
                answer.complete("no answer: " + e);
            }
        }

        String answer() throws Exception {
            return answer.get(20, TimeUnit.SECONDS);
        }

        void hangUp() {
            try {
                socket.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }
}
