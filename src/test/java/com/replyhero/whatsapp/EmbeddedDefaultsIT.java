package com.replyhero.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.PackagedJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar as a new user runs it: embedded PostgreSQL in a fresh data directory, the demo org, the
 * seed's text example; then {@code kill -9} and a restart on the same data: nothing committed is lost.
 */
class EmbeddedDefaultsIT {

    private Process gateway;

    @AfterEach
    void stop() throws InterruptedException {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSeedsTextExampleWorksOnAFreshStartAndSurvivesKillDashNine() throws Exception {
        Path dataDir = Files.createTempDirectory("rh-it-data");
        int port = PackagedJar.freePort();
        Api api = new Api("http://127.0.0.1:" + port);

        gateway = PackagedJar.start(dataDir, port, List.of(), List.of());
        PackagedJar.awaitHealthy(gateway, api);
        Path demoFile = dataDir.resolve("demo.json");
        PackagedJar.awaitFile(demoFile);
        JsonNode demo = Api.json().readTree(Files.readString(demoFile));
        String seedBody = """
                {
                  "message": {
                    "type": "text",
                    "text": {
                      "body": "testing msg"
                    }
                  },
                  "sessionId": "SESSION_ID",
                  "customerId": "%s",
                  "userId": "%s",
                  "orgId": "%s"
                }""".formatted(text(demo, "customerId"), text(demo, "userId"), text(demo, "orgId"));
        Api.Response sent = api.post("/whatsapp/messages/send", seedBody, "x-api-key", text(demo, "apiKey"));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String messageId = sent.json().get("id").asString();

        gateway.toHandle().destroyForcibly(); // kill -9: no shutdown hook runs, PostgreSQL is orphaned
        gateway.waitFor(30, TimeUnit.SECONDS);
        gateway = PackagedJar.start(dataDir, port, List.of(), List.of());
        PackagedJar.awaitHealthy(gateway, api);

        Api.Response stored = api.get("/whatsapp/messages/" + messageId, "X-API-KEY", text(demo, "apiKey"));
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().get("wamid").asString()).startsWith("wamid.");
        JsonNode demoAfter = Api.json().readTree(Files.readString(demoFile));
        assertThat(text(demoAfter, "orgId")).isEqualTo(text(demo, "orgId"));
        Api.Response again = api.post("/whatsapp/messages/send", seedBody, "X-API-KEY", text(demo, "apiKey"));
        assertThat(again.status()).as(again.text()).isEqualTo(200);

        gateway.destroy(); // SIGTERM: a graceful stop exits 0
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isZero();
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asString();
    }
}
