package com.replyhero.whatsapp.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.web.ApiException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The only connections opened go to a loopback server of the test's own. */
class EgressClientTest {

    private final EgressClient strict = new EgressClient(new EgressPolicy(false, ""), Duration.ofSeconds(2));
    private final EgressClient loopbackAllowed = new EgressClient(new EgressPolicy(true, ""), Duration.ofSeconds(2));

    @AfterEach
    void close() throws IOException {
        strict.destroy();
        loopbackAllowed.destroy();
    }

    @Test
    void aRequestToLoopbackIsRefusedBeforeAnyConnectionWhenTheAllowanceIsOff() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = server(requests, 0, null);
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/a");

            assertThatThrownBy(() -> strict.get(url, Map.of(), Duration.ofSeconds(2), "link"))
                    .isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> strict.post(url, Map.of(), new byte[0], Duration.ofSeconds(2), "url"))
                    .isInstanceOf(ApiException.class);
            assertThat(requests).hasValue(0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void redirectsAreFollowedAtMostThreeTimes() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = server(requests, 3, null);
        HttpServer endless = server(new AtomicInteger(), 100, null);
        try {
            URI three = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/r0");
            URI four = URI.create("http://127.0.0.1:" + endless.getAddress().getPort() + "/r0");

            try (EgressAnswer answer = loopbackAllowed.get(three, Map.of(), Duration.ofSeconds(5), "link")) {
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.uri().getPath()).isEqualTo("/r3");
            }
            assertThatThrownBy(() -> loopbackAllowed.get(four, Map.of(), Duration.ofSeconds(5), "link"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("redirects");
            assertThat(requests).hasValue(4);
        } finally {
            server.stop(0);
            endless.stop(0);
        }
    }

    @Test
    void aRedirectToTheMetadataAddressIsCheckedAgainAndRefused() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = server(requests, 1, "http://169.254.169.254/latest/meta-data");
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/r0");

            assertThatThrownBy(() -> loopbackAllowed.get(url, Map.of(), Duration.ofSeconds(5), "link"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("forbidden_address");
                        assertThat(e.getMessage()).contains("169.254.169.254");
                    });
            assertThat(requests).hasValue(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsCutOff() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                out.write(new byte[100_000]);
            } catch (IOException ignored) {
                // the client hung up
            }
        });
        server.start();
        try (EgressAnswer answer = loopbackAllowed.get(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/big"),
                        Map.of(),
                        Duration.ofSeconds(5),
                        "link");
                InputStream body = answer.body(10_000)) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(CappedStream.TooLarge.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSlowAnswerIsCutAtTheDeadline() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            assertThatThrownBy(() -> loopbackAllowed.get(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow"),
                            Map.of(),
                            Duration.ofMillis(300),
                            "link"))
                    .isInstanceOf(IOException.class);
        } finally {
            server.stop(0);
        }
    }

    /** Redirects {@code hops} times (/r0 → /r1 ...), then answers 200, or redirects to {@code finalTarget}. */
    private static HttpServer server(AtomicInteger requests, int hops, String finalTarget) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            int hop = Integer.parseInt(exchange.getRequestURI().getPath().substring(2));
            if (hop < hops) {
                String next = finalTarget != null && hop == hops - 1 ? finalTarget : "/r" + (hop + 1);
                exchange.getResponseHeaders().add("Location", next);
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.start();
        return server;
    }
}
