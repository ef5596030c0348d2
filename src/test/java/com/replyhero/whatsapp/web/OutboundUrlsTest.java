package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class OutboundUrlsTest {

    private final OutboundUrls strict = new OutboundUrls(false);

    @Test
    void refusesLoopbackPrivateAndLinkLocalAddressesWhenTheOperatorHasNotAllowedThem() {
        for (String url : new String[] {
            "http://127.0.0.1/x",
            "http://localhost:8080/x",
            "http://10.1.2.3/x",
            "http://172.16.0.1/x",
            "http://192.168.1.1/x",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/x",
            "http://0.0.0.0/x",
            "http://[::1]/x",
            "http://[fd00::1]/x",
            "http://[fe80::1]/x",
            "http://[::ffff:127.0.0.1]/x"
        }) {
            assertThatThrownBy(() -> strict.require(url, "url"))
                    .as(url)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.field()).isEqualTo("url"));
        }
    }

    @Test
    void acceptsPublicAddresses() throws Exception {
        assertThat(strict.refusal(URI.create("https://93.184.215.14/hook"))).isNull();
        assertThat(OutboundUrls.isPublic(InetAddress.getByName("2606:2800:21f:cb07:6820:80da:af6b:8b2c")))
                .isTrue();
    }

    @Test
    void acceptsLoopbackWhenTheOperatorAllowsPrivateAddresses() {
        assertThat(new OutboundUrls(true).require("http://127.0.0.1:9000/events", "url"))
                .isEqualTo(URI.create("http://127.0.0.1:9000/events"));
    }

    @Test
    void refusesSchemesOtherThanHttpAndCredentialsInTheUrl() {
        assertThatThrownBy(() -> strict.require("file:///etc/passwd", "url")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> strict.require("http://user:pw@93.184.215.14/", "url"))
                .isInstanceOf(ApiException.class);
    }
}
