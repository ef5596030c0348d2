package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ConsoleSignInTest extends GatewayTest {

    @Autowired
    Invitations invitations;

    @Test
    void anInvitedUserSetsAPasswordOnceAndSignsInWithIt() {
        TestOrg org = anOrg();
        String email = "agent" + randomDigits(8) + "@example.com";
        String link = invitations
                .invite(org.orgId(), "Ada", email, Role.AGENT)
                .orElseThrow()
                .path();

        ConsoleSession first = ConsoleSession.accepting(api.baseUrl(), link, CONSOLE_PASSWORD);

        assertThat(first.get("/console/inbox").body()).contains("<h1>Inbox</h1>", "Ada");
        ConsoleSession second = new ConsoleSession(api.baseUrl());
        assertThat(second.get(link).body()).contains("This link does not work");
        assertThat(second.signIn(email.toUpperCase(), CONSOLE_PASSWORD).location())
                .endsWith("/console/inbox");
        assertThat(signInAnew(email, "not the password")).endsWith("/console/login?error");
    }

    @Test
    void aShortOrMismatchedPasswordIsRefusedAndTheLinkStillWorks() {
        TestOrg org = anOrg();
        String email = "agent" + randomDigits(8) + "@example.com";
        String link = invitations
                .invite(org.orgId(), "Bo", email, Role.AGENT)
                .orElseThrow()
                .path();
        String token = link.substring(link.indexOf("token=") + 6);
        ConsoleSession session = new ConsoleSession(api.baseUrl());
        session.get(link);

        ConsoleSession.Page tooShort =
                session.post("/console/invite", Map.of("token", token, "password", "short", "confirm", "short"));
        ConsoleSession.Page mismatched = session.post(
                "/console/invite",
                Map.of("token", token, "password", CONSOLE_PASSWORD, "confirm", CONSOLE_PASSWORD + "!"));

        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 12 characters");
        assertThat(mismatched.status()).isEqualTo(400);
        assertThat(mismatched.body()).contains("differ");
        assertThat(ConsoleSession.accepting(api.baseUrl(), link, CONSOLE_PASSWORD)
                        .get("/console/inbox")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void signingInGivesANewSessionIdAndFormsWithoutTheCsrfTokenAreRefused() {
        TestOrg org = anOrg();
        String email = "agent" + randomDigits(8) + "@example.com";
        String link = invitations
                .invite(org.orgId(), "Cy", email, Role.AGENT)
                .orElseThrow()
                .path();
        ConsoleSession.accepting(api.baseUrl(), link, CONSOLE_PASSWORD);
        ConsoleSession session = new ConsoleSession(api.baseUrl());
        session.get("/console/login");
        String before = session.sessionCookie();

        ConsoleSession.Page withoutToken =
                session.postRaw("/console/login", Map.of("username", email, "password", CONSOLE_PASSWORD));
        ConsoleSession.Page signedIn = session.signIn(email, CONSOLE_PASSWORD);

        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(signedIn.location()).endsWith("/console/inbox");
        assertThat(before).isNotNull();
        assertThat(session.sessionCookie()).isNotNull().isNotEqualTo(before);
        assertThat(session.postRaw("/console/sign-out", Map.of()).status()).isEqualTo(403);
        assertThat(session.get("/console/inbox").status()).isEqualTo(200);
        assertThat(session.post("/console/sign-out", Map.of()).location()).contains("/console/login");
        assertThat(session.get("/console/inbox").location()).contains("/console/login");
    }

    @Test
    void fiveWrongPasswordsLockTheAccountEvenForTheRightOne() {
        TestOrg org = anOrg();
        String email = "agent" + randomDigits(8) + "@example.com";
        String link = invitations
                .invite(org.orgId(), "Di", email, Role.AGENT)
                .orElseThrow()
                .path();
        ConsoleSession.accepting(api.baseUrl(), link, CONSOLE_PASSWORD);

        for (int i = 0; i < 5; i++) {
            assertThat(signInAnew(email, "wrong " + i)).endsWith("?error");
        }

        assertThat(signInAnew(email, CONSOLE_PASSWORD))
                .as("locked: the right password fails too, with the answer a wrong one gets (the lock tells nothing)")
                .endsWith("/console/login?error");
    }

    @Test
    void anAgentCannotOpenAdminOrOperatorPagesAndTheOperatorSignsInWithTheAdminToken() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);

        assertThat(agent.get("/console/admin/keys").status()).isEqualTo(403);
        assertThat(agent.get("/console/operator").status()).isEqualTo(403);
        ConsoleSession operator = ConsoleSession.signedIn(api.baseUrl(), "operator", admin()[1].substring(7));
        assertThat(operator.get("/console/operator").body()).contains("<h1>Operator</h1>");
        assertThat(operator.get("/console/inbox").status()).isEqualTo(403);
        assertThat(signInAnew("operator", "not the token")).endsWith("?error");
    }

    @Test
    void aDisabledUserIsSignedOutAtTheirNextRequest() {
        TestOrg org = anOrg();
        ConsoleSession agent = aConsoleUser(org, Role.AGENT);
        assertThat(agent.get("/console/inbox").status()).isEqualTo(200);

        db.sql("UPDATE users SET disabled_at = now() WHERE org_id = :orgId AND id = :id")
                .param("orgId", org.orgId())
                .param("id", agent.userId())
                .update();

        assertThat(agent.get("/console/inbox").location()).contains("/console/login?expired");
        assertThat(signInAnew(agent.email(), CONSOLE_PASSWORD)).endsWith("?error");
    }

    /** Signs in from a new browser session; where the answer sends the browser. */
    private String signInAnew(String username, String password) {
        return new ConsoleSession(api.baseUrl()).signIn(username, password).location();
    }
}
