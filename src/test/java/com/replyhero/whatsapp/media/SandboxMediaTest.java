package com.replyhero.whatsapp.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.Multipart;
import com.replyhero.whatsapp.support.TestOrg;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class SandboxMediaTest extends GatewayTest {

    @Autowired
    private SandboxAccount sandbox;

    @Test
    void theSandboxStoresUploadsAndAnswersMetaShapedErrorsForBadTypesAndSizes() {
        TestOrg org = anOrg();
        // the channel's token (sealed in the database)
        String token = sandbox.accessToken();
        String path = "/sandbox/graph/v23.0/" + org.phoneNumberId() + "/media";

        Api.Response stored = api.send(new Multipart()
                .field("messaging_product", "whatsapp")
                .field("type", "image/png")
                .file("file", "a.png", "image/png", MediaFixtures.png())
                .post(api.request(path, "Authorization", "Bearer " + token)));
        Api.Response gif = api.send(new Multipart()
                .field("messaging_product", "whatsapp")
                .field("type", "image/gif")
                .file("file", "a.gif", "image/gif", "GIF89a".getBytes())
                .post(api.request(path, "Authorization", "Bearer " + token)));
        Api.Response big = api.send(new Multipart()
                .field("messaging_product", "whatsapp")
                .field("type", "image/jpeg")
                .file("file", "a.jpg", "image/jpeg", MediaFixtures.jpegOf(5 * 1024 * 1024 + 1))
                .post(api.request(path, "Authorization", "Bearer " + token)));

        assertThat(stored.status()).as(stored.text()).isEqualTo(200);
        assertThat(stored.json().get("id").asString()).matches("[0-9]{16,}");
        assertThat(gif.status()).isEqualTo(400);
        assertThat(gif.json().get("error").get("code").asInt()).isEqualTo(131053);
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("error").get("code").asInt()).isEqualTo(131053);
    }
}
