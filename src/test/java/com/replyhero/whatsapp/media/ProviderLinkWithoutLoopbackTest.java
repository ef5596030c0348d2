package com.replyhero.whatsapp.media;

import static com.replyhero.whatsapp.media.MediaUploadTest.mediaRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With the egress guard's loopback allowance off (as it is by default when Meta is the upstream). A second application
 * context: closed after this class, its background jobs slowed so that it does not work for the main one.
 */
@TestPropertySource(
        properties = {
            "rh.egress.allow-loopback=false",
            "rh.outbox.poll-interval=1h",
            "rh.outbox.sweep-interval=1h",
            "rh.webhooks.retry-interval=1h"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ProviderLinkWithoutLoopbackTest extends GatewayTest {

    @Test
    void aLinkTo127001WithAProviderIsRefusedAndNeverFetched() throws IOException {
        TestOrg org = anOrg();
        String customerId = aCustomerWhoWroteIn(org).get("id").asString();
        AtomicInteger requests = new AtomicInteger();
        HttpServer files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        files.start();
        try {
            api.put(
                    "/admin/orgs/" + org.orgId() + "/media-providers/drive",
                    Map.of("headers", Map.of("Authorization", "Bearer s3cret")),
                    admin());

            Api.Response refused = api.post(
                    "/whatsapp/messages/send",
                    mediaRequest(
                            org,
                            customerId,
                            "image",
                            Map.of(
                                    "link",
                                    "http://127.0.0.1:" + files.getAddress().getPort() + "/bot.png",
                                    "provider",
                                    "drive")),
                    org.key());

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("code").asString()).isEqualTo("forbidden_address");
            assertThat(refused.json().get("field").asString()).isEqualTo("message.image.link");
            assertThat(requests).hasValue(0);
            assertThat(db.sql("SELECT count(*) FROM messages WHERE org_id = ? AND message_type <> 'user'")
                            .param(org.orgId())
                            .query(Long.class)
                            .single())
                    .isZero();
        } finally {
            files.stop(0);
        }
    }

    @Test
    void anEventEndpointOn127001IsRefusedNamingTheField() {
        TestOrg org = anOrg();

        Api.Response refused = api.put("/whatsapp/webhook", Map.of("url", "http://127.0.0.1:9/hook"), org.key());
        Api.Response metadata =
                api.put("/whatsapp/webhook", Map.of("url", "http://169.254.169.254/latest/meta-data"), org.key());

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("forbidden_address");
        assertThat(refused.json().get("field").asString()).isEqualTo("url");
        assertThat(refused.json().get("message").asString()).contains("127.0.0.1");
        assertThat(metadata.status()).isEqualTo(400);
        assertThat(metadata.json().get("field").asString()).isEqualTo("url");
        assertThat(api.get("/whatsapp/webhook", org.key()).status()).isEqualTo(404);
    }
}
