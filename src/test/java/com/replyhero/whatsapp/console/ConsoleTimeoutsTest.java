package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The console's clocks, shortened: an idle session, an old session and an old invitation link all end. */
@TestPropertySource(
        properties = {"rh.console.idle-timeout=4s", "rh.console.absolute-timeout=8s", "rh.console.invite-validity=2s"})
class ConsoleTimeoutsTest extends GatewayTest {

    @Autowired
    Invitations invitations;

    @Test
    void aSessionUnusedForTheIdleTimeoutIsSignedOut() throws InterruptedException {
        ConsoleSession agent = aConsoleUser(anOrg(), Role.AGENT);
        assertThat(agent.get("/console/inbox").status()).isEqualTo(200);

        Thread.sleep(Duration.ofSeconds(5)); // the clock under test: 4 s without a request

        assertThat(agent.get("/console/inbox").location()).contains("/console/login");
    }

    @Test
    void aBusySessionEndsAtTheAbsoluteTimeout() throws InterruptedException {
        long created = System.nanoTime();
        ConsoleSession agent = aConsoleUser(anOrg(), Role.AGENT);
        ConsoleSession.Page page = agent.get("/console/inbox");
        assertThat(page.status()).isEqualTo(200);

        while (page.status() == 200
                && System.nanoTime() - created < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(Duration.ofSeconds(2)); // a request every 2 s: never idle for 4 s
            page = agent.get("/console/inbox");
        }

        assertThat(page.location()).contains("/console/login?expired");
        assertThat(Duration.ofNanos(System.nanoTime() - created)).isGreaterThanOrEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void anInvitationLinkStopsWorkingWhenItExpires() throws InterruptedException {
        TestOrg org = anOrg();
        String email = "late" + randomDigits(8) + "@example.com";
        String link = invitations
                .invite(org.orgId(), "Late", email, Role.AGENT)
                .orElseThrow()
                .path();

        Thread.sleep(Duration.ofSeconds(3)); // the clock under test: the link was valid for 2 s

        assertThat(new ConsoleSession(api.baseUrl()).get(link).body()).contains("This link does not work");
    }
}
