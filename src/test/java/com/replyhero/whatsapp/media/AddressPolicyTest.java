package com.replyhero.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.replyhero.whatsapp.web.ApiException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(false, "");

    @Test
    void refusesLoopbackPrivateLinkLocalAndMetadataAddresses() throws UnknownHostException {
        for (String address : new String[] {
            "127.0.0.1",
            "127.5.5.5",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "224.0.0.1"
        }) {
            assertThat(strict.allowed(InetAddress.getByName(address)))
                    .as(address)
                    .isFalse();
        }
    }

    @Test
    void allowsPublicAddresses() throws UnknownHostException {
        assertThat(strict.allowed(InetAddress.getByName("93.184.216.34"))).isTrue();
        assertThat(strict.allowed(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946")))
                .isTrue();
    }

    @Test
    void theOperatorsAllowListAndTheLoopbackSettingOpenExactlyWhatTheyName() throws UnknownHostException {
        AddressPolicy allowing = new AddressPolicy(true, "10.20.0.0/16, files.internal");

        assertThat(allowing.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(allowing.allowed(InetAddress.getByName("10.20.3.4"))).isTrue();
        assertThat(allowing.allowed(InetAddress.getByName("10.21.3.4"))).isFalse();
        assertThat(allowing.allowed(InetAddress.getByName("169.254.169.254"))).isFalse();
        allowing.check(URI.create("http://files.internal/a.pdf"), "link");
    }

    @Test
    void aLinkToLoopbackIsRefusedWithTheAddressInTheMessage() {
        assertThatThrownBy(() -> strict.check(URI.create("http://127.0.0.1:8080/a.png"), "message.image.link"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("127.0.0.1")
                .extracting(e -> ((ApiException) e).code())
                .isEqualTo("forbidden_link_address");
    }
}
