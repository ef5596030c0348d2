package com.replyhero.whatsapp.customers;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.sandbox.SandboxState;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code rh.customers.window}: the one window rule, the sandbox and the console follow a shorter window. */
@TestPropertySource(properties = "rh.customers.window=4s")
class CustomerWindowSettingTest extends GatewayTest {

    @Autowired
    SandboxState sandboxState;

    @Test
    void theWindowClosesAfterTheConfiguredTimeForTheGatewayTheSandboxAndTheConsole() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        JsonNode customer = aCustomerWhoWroteIn(org);
        String customerId = customer.get("id").asString();

        int whileOpen = api.post("/whatsapp/messages/send", textRequest(org, customerId, "quick!"), org.key())
                .status();
        String closing = agent.get("/console/inbox/" + customerId).body();

        assertThat(whileOpen).isEqualTo(200);
        assertThat(closing).contains("Window closes in").contains("id=\"reply-text\"");
        assertThat(sandboxState.windowOpen(
                        org.phoneNumberId(), customer.get("phone").asString(), Instant.now()))
                .isTrue();
        assertThat(sandboxState.windowOpen(
                        org.phoneNumberId(),
                        customer.get("phone").asString(),
                        Instant.now().plusSeconds(5)))
                .as("the sandbox's window is as long as the gateway's")
                .isFalse();
        int afterwards = eventually(
                () -> api.post("/whatsapp/messages/send", textRequest(org, customerId, "too late"), org.key())
                        .status(),
                status -> status != 200,
                Duration.ofSeconds(10));
        assertThat(afterwards).isEqualTo(422);
        assertThat(agent.get("/console/inbox/" + customerId + "/messages?window=open")
                        .body())
                .as("a page that showed the open window gets the template form out of band")
                .contains("id=\"reply-area\" hx-swap-oob=\"true\"", "id=\"template-form\"", "Window closed");
        assertThat(agent.get("/console/inbox/" + customerId + "/messages?window=closed")
                        .body())
                .doesNotContain("id=\"reply-area\"");
        assertThat(agent.get("/console/inbox/" + customerId).body())
                .contains("Window closed")
                .contains("id=\"template-form\"")
                .doesNotContain("id=\"reply-text\"");
    }
}
