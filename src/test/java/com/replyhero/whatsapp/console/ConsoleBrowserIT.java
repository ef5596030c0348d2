package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console in a real browser (headless chromium) against the packaged jar, as a new user meets it: the demo
 * user's printed one-time link, the operator's admin token, and the sign-in page for everyone else. Screenshots go
 * to target/console-screenshots.
 */
class ConsoleBrowserIT {

    private static final String PASSWORD = "a long enough passphrase";

    @RegisterExtension
    static final BrowserGateway running = new BrowserGateway();

    @Test
    void theDemoUserSignsInWithThePrintedLinkAndSeesTheInbox() throws Exception {
        RunningGateway gateway = running.get();
        assertThat(URI.create(gateway.consoleInviteUrl()).getPath()).isEqualTo("/console/invite");
        try (Browser browser = new Browser(gateway.baseUrl())) {
            browser.open(gateway.consoleInviteUrl())
                    .fill("#password", PASSWORD)
                    .fill("#confirm", PASSWORD)
                    .click("#accept");
            browser.waitFor("h1", "Inbox");
            browser.screenshot("inbox");

            browser.click("#sign-out");
            browser.open("/console/inbox").waitForPath("/console/login"); // signed out: the inbox sends to sign-in

            browser.fill("#username", gateway.consoleEmail())
                    .fill("#password", PASSWORD)
                    .click("#sign-in");
            browser.waitFor("h1", "Inbox");
        }
    }

    @Test
    void theOperatorSignsInWithTheAdminTokenAndSeesTheOperatorArea() throws Exception {
        RunningGateway gateway = running.get();
        try (Browser browser = new Browser(gateway.baseUrl())) {
            browser.open("/console/login")
                    .fill("#username", "operator")
                    .fill("#password", "not-the-admin-token")
                    .click("#sign-in");
            browser.waitFor("#login-error");

            browser.fill("#username", "operator")
                    .fill("#password", gateway.adminToken())
                    .click("#sign-in");
            browser.waitForPath("/console/operator").waitFor("h1", "Operator");
            browser.screenshot("operator");
        }
    }

    @Test
    void aVisitorWhoIsNotSignedInIsSentFromTheInboxToTheSignInPage() {
        RunningGateway gateway = running.get();
        try (Browser browser = new Browser(gateway.baseUrl())) {
            browser.open("/console/inbox").waitForPath("/console/login");
            browser.waitFor("#username");
            browser.waitFor("#sign-in");
        }
    }
}
