package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** CORS is off by default: a browser on another origin gets no Access-Control-Allow-Origin. */
class CorsTest extends GatewayTest {

    @Test
    void aRequestWithAnOriginGetsNoAccessControlAllowOrigin() {
        TestOrg org = anOrg();

        Api.Response simple =
                api.get("/whatsapp/customers", "X-API-KEY", org.apiKey(), "Origin", "https://evil.example");
        Api.Response preflight = api.send(api.request(
                        "/whatsapp/messages/send",
                        "Origin",
                        "https://evil.example",
                        "Access-Control-Request-Method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "x-api-key, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        Api.Response admin = api.get("/admin/orgs", "Authorization", admin()[1], "Origin", "https://evil.example");

        assertThat(simple.status()).isEqualTo(200);
        assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Headers")).isNull();
        assertThat(admin.header("Access-Control-Allow-Origin")).isNull();
    }
}
