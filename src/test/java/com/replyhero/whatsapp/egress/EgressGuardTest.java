package com.replyhero.whatsapp.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.web.ApiException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Addresses are literals (no DNS); the only connections opened go to a loopback server of the test's own. */
class EgressGuardTest {

    private final EgressGuard strict = new EgressGuard(false, "", Duration.ofSeconds(2));
    private final EgressGuard loopbackAllowed = new EgressGuard(true, "", Duration.ofSeconds(2));

    @AfterEach
    void close() throws IOException {
        strict.destroy();
        loopbackAllowed.destroy();
    }

    @Test
    void refusesEveryNonPublicAddress() throws UnknownHostException {
        for (String address : new String[] {
            "127.0.0.1",
            "127.5.5.5", // loopback
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1", // private
            "169.254.169.254",
            "169.254.0.1", // link-local, cloud metadata
            "100.64.0.1",
            "100.127.255.254", // carrier-grade NAT
            "224.0.0.1",
            "239.255.255.250", // multicast
            "0.0.0.0",
            "0.1.2.3", // unspecified, "this network"
            "255.255.255.255",
            "240.0.0.1", // broadcast, reserved
            "::",
            "::1", // unspecified, loopback
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", // IPv4-mapped
            "fc00::1",
            "fd00:ec2::254", // unique local fc00::/7
            "fe80::1",
            "febf::1", // link-local fe80::/10
            "ff02::1" // multicast
        }) {
            assertThat(strict.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
    }

    @Test
    void refusesIpv6AddressesThatCarryANonPublicIpv4Address() throws UnknownHostException {
        for (String address : new String[] {
            "::a9fe:a9fe", // IPv4-compatible ::/96: 169.254.169.254
            "::169.254.169.254",
            "::7f00:1", // ::127.0.0.1
            "::808:808", // ::/96 is deprecated: refused whatever it carries
            "64:ff9b:1::a9fe:a9fe", // NAT64 local-use 64:ff9b:1::/48
            "64:ff9b:1:ffff::808:808",
            "64:ff9b::a9fe:a9fe", // NAT64 well-known prefix: judged as 169.254.169.254
            "64:ff9b::10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:a9fe:a9fe::1", // 6to4 of 169.254.169.254
            "2002:c0a8:101::1", // 6to4 of 192.168.1.1
            "2001:0:4136:e378:8000:63bf:3fff:fdd2" // Teredo 2001::/32: the IPv4 it reaches is hidden
        }) {
            assertThat(strict.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
            assertThat(loopbackAllowed.allowed(InetAddress.getByName(address)))
                    .as(address + " with loopback allowed")
                    .isFalse();
        }
    }

    @Test
    void aNat64Or6to4AddressOfAPublicIpv4AddressIsAllowed() throws UnknownHostException {
        for (String address : new String[] {"64:ff9b::808:808", "64:ff9b::93.184.216.34", "2002:808:808::1"}) {
            assertThat(strict.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isTrue();
        }
    }

    @Test
    void aUrlNamingAnIpv4CompatibleAddressIsRefusedNamingTheAddress() {
        assertThatThrownBy(() -> strict.require("http://[::a9fe:a9fe]/latest/meta-data", "url"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("forbidden_address");
                    assertThat(e.field()).isEqualTo("url");
                });
    }

    @Test
    void allowsPublicUnicastAddresses() throws UnknownHostException {
        for (String address : new String[] {
            "93.184.216.34",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "2606:2800:220:1:248:1893:25c8:1946"
        }) {
            assertThat(strict.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isTrue();
        }
    }

    @Test
    void theLoopbackAllowanceOpensLoopbackAndNothingElse() throws UnknownHostException {
        assertThat(loopbackAllowed.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(loopbackAllowed.allowed(InetAddress.getByName("::1"))).isTrue();
        assertThat(loopbackAllowed.allowed(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(loopbackAllowed.allowed(InetAddress.getByName("169.254.169.254")))
                .isFalse();
    }

    @Test
    void theOperatorsAllowListOpensExactlyTheNetworksAndHostsItNames() throws IOException {
        EgressGuard allowing = new EgressGuard(false, "10.20.0.0/16, files.internal", Duration.ofSeconds(1));
        try {
            assertThat(allowing.allowed(InetAddress.getByName("10.20.3.4"))).isTrue();
            assertThat(allowing.allowed(InetAddress.getByName("10.21.3.4"))).isFalse();
            assertThat(allowing.allowed(InetAddress.getByName("127.0.0.1"))).isFalse();
        } finally {
            allowing.destroy();
        }
    }

    @Test
    void loopbackFollowsTheSettingAndUnsetFollowsTheSandbox() {
        assertThat(loopback(null).allowsLoopback(true)).isTrue();
        assertThat(loopback(null).allowsLoopback(false)).isFalse();
        assertThat(loopback(false).allowsLoopback(true)).isFalse();
        assertThat(loopback(true).allowsLoopback(false)).isTrue();
    }

    private static EgressSettings loopback(Boolean allowed) {
        return new EgressSettings(allowed, List.of(), Duration.ofSeconds(1));
    }

    @Test
    void aRefusedUrlIsA400NamingTheFieldAndTheAddress() {
        assertThatThrownBy(() -> strict.require("http://169.254.169.254/latest/meta-data", "url"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("forbidden_address");
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).contains("169.254.169.254");
                });
        assertThatThrownBy(() -> strict.require("http://[::ffff:127.0.0.1]:8080/x", "message.image.link"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.field()).isEqualTo("message.image.link"));
    }

    @Test
    void onlyHttpAndHttpsWithoutCredentials() {
        for (String url : new String[] {
            "file:///etc/passwd",
            "gopher://93.184.216.34/",
            "ftp://93.184.216.34/",
            "http://user:pw@93.184.216.34/",
            "http:///x"
        }) {
            assertThatThrownBy(() -> strict.require(url, "url"))
                    .as(url)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.field()).isEqualTo("url"));
        }
        assertThat(strict.require("https://93.184.216.34/hook", "url")).hasHost("93.184.216.34");
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

            try (EgressGuard.Answer answer = loopbackAllowed.get(three, Map.of(), Duration.ofSeconds(5), "link")) {
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
        try (EgressGuard.Answer answer = loopbackAllowed.get(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/big"),
                        Map.of(),
                        Duration.ofSeconds(5),
                        "link");
                InputStream body = answer.body(10_000)) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(EgressGuard.TooLarge.class);
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
