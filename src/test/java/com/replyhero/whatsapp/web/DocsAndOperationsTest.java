package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import org.junit.jupiter.api.Test;

class DocsAndOperationsTest extends GatewayTest {

    @Test
    void theOpenApiDocumentShowsTheSeedsExampleForTheSend() {
        Api.Response doc = api.get("/v3/api-docs");

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/whatsapp/messages/send")).isTrue();
        assertThat(doc.json()
                        .get("components")
                        .get("securitySchemes")
                        .get("apiKey")
                        .get("name")
                        .asString())
                .isEqualTo("X-API-KEY");
        assertThat(doc.text()).contains("testing msg").contains("Sun, 17 Mar 2024 00:45:25 +0800");
    }

    @Test
    void theDocsPageIsServed() {
        Api.Response docs = api.get("/docs");
        Api.Response page = api.get("/swagger-ui/index.html");

        assertThat(docs.status()).isIn(200, 302);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).containsIgnoringCase("swagger");
    }

    @Test
    void healthAndPrometheusMetricsAnswer() {
        Api.Response health = api.get("/actuator/health");
        Api.Response metrics = api.get("/actuator/prometheus");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes");
    }

    @Test
    void actuatorEndpointsOtherThanHealthAndPrometheusNeedTheAdminToken() {
        Api.Response anonymous = api.get("/actuator/metrics");
        Api.Response operator = api.get("/actuator/metrics", admin());
        Api.Response probe = api.get("/actuator/health/readiness");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(operator.status()).isEqualTo(200);
        assertThat(probe.status()).isEqualTo(200);
    }

    @Test
    void answersCarrySecurityHeaders() {
        Api.Response page = api.get("/swagger-ui/index.html");

        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(page.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void anUnknownPathAnswersTheOneErrorShape() {
        Api.Response missing = api.get("/nothing/here");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asString()).isEqualTo("not_found");
    }
}
