package com.replyhero.whatsapp.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.web.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses are literals (no DNS); nothing is connected to. */
class EgressPolicyTest {

    private final EgressPolicy strict = new EgressPolicy(false, "");
    private final EgressPolicy loopbackAllowed = new EgressPolicy(true, "");

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
    void theOperatorsAllowListOpensExactlyTheNetworksAndHostsItNames() throws UnknownHostException {
        EgressPolicy allowing = new EgressPolicy(false, "10.20.0.0/16, files.internal");

        assertThat(allowing.allowed(InetAddress.getByName("10.20.3.4"))).isTrue();
        assertThat(allowing.allowed(InetAddress.getByName("10.21.3.4"))).isFalse();
        assertThat(allowing.allowed(InetAddress.getByName("127.0.0.1"))).isFalse();
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
}
