package com.replyhero.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sandbox on its own ({@code --sandbox-only}), as benchmarks and the fault suite start it: no database, and
 * none of the gateway's web layer, yet its refusals come in the gateway's error shape.
 */
class StandaloneSandboxTest {

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext sandbox;
    static Api api;

    @BeforeAll
    static void start() {
        sandbox = SandboxApplication.run(
                new String[] {"--server.address=127.0.0.1", "--server.port=0", "--rh.data-dir=" + dataDir});
        api = new Api("http://127.0.0.1:" + sandbox.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void refusesAWrongFaultRateNamingTheField() {
        Api.Response wrong = api.put("/sandbox/faults", Map.of("dropAnswer", 2));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("status").asInt()).isEqualTo(400);
        assertThat(wrong.json().get("code").asString()).isEqualTo("invalid_request");
        assertThat(wrong.json().get("field").asString()).isEqualTo("dropAnswer");
        assertThat(wrong.json().get("message").asString()).isEqualTo("dropAnswer is a rate between 0 and 1");
    }

    @Test
    void refusesACustomerWithoutADialablePhoneNamingTheField() {
        Api.Response wrong = api.post("/sandbox/customers/not-a-phone/messages", Map.of("text", "hi"));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("field").asString()).isEqualTo("phone");
    }

    @Test
    void runsWithoutADatabase() {
        assertThat(sandbox.getBeanNamesForType(DataSource.class)).isEmpty();
    }
}
