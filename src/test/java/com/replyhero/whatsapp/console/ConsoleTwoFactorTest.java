package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretsResealing;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ConsoleTwoFactorTest extends GatewayTest {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7]+)<");

    @Autowired
    Invitations invitations;

    @Autowired
    SecretsResealing resealing;

    @Autowired
    SecretBox secrets;

    @Test
    void withTwoFactorOnASignInNeedsAFreshCodeAndACodeWorksOnce() {
        TestOrg org = anOrg();
        ConsoleSession user = aConsoleUser(org, Role.AGENT);
        String secret = turnOn(user);

        String withoutCode = new ConsoleSession(api.baseUrl())
                .signIn(user.email(), CONSOLE_PASSWORD)
                .location();
        ConsoleSession next = new ConsoleSession(api.baseUrl());
        next.get("/console/login");
        String code = Totp.code(secret, Instant.now().getEpochSecond() / Totp.STEP_SECONDS + 1);
        String withCode = next.post(
                        "/console/login", Map.of("username", user.email(), "password", CONSOLE_PASSWORD, "code", code))
                .location();
        ConsoleSession again = new ConsoleSession(api.baseUrl());
        again.get("/console/login");
        String sameCodeAgain = again.post(
                        "/console/login", Map.of("username", user.email(), "password", CONSOLE_PASSWORD, "code", code))
                .location();

        assertThat(withoutCode).endsWith("/console/login?error");
        assertThat(withCode).endsWith("/console/inbox");
        assertThat(sameCodeAgain).endsWith("/console/login?error");
        assertThat(db.sql("SELECT totp_secret FROM users WHERE org_id = ? AND id = ?")
                        .params(org.orgId(), user.userId())
                        .query(String.class)
                        .single())
                .as("the secret is sealed in the table")
                .isNotNull()
                .doesNotContain(secret);
    }

    @Test
    void aWrongCodeDoesNotTurnItOnAndANewLinkTurnsItOff() {
        TestOrg org = anOrg();
        ConsoleSession user = aConsoleUser(org, Role.AGENT);
        user.get("/console/account");
        String page = user.post("/console/account/two-factor/start", Map.of()).body();
        assertThat(page).contains("id=\"totp-uri\"", "otpauth://totp/");

        ConsoleSession.Page wrong = user.post("/console/account/two-factor/confirm", Map.of("code", "000000"));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(user.get("/console/account").body()).contains("id=\"totp-start\"");
        turnOn(user);
        String link =
                invitations.reinvite(org.orgId(), user.userId()).orElseThrow().path();
        ConsoleSession renewed = ConsoleSession.accepting(api.baseUrl(), link, CONSOLE_PASSWORD + "2");
        assertThat(renewed.get("/console/account").body()).contains("id=\"totp-start\"");
    }

    @Test
    void aSecretSealedUnderThePreviousKeyIsResealedAndStillSignsIn() {
        TestOrg org = anOrg();
        ConsoleSession user = aConsoleUser(org, Role.AGENT);
        String secret = Totp.newSecret();
        db.sql("UPDATE users SET totp_secret = ? WHERE org_id = ? AND id = ?")
                .params(
                        SecretBox.of(PREVIOUS_SECRETS_KEY).seal("users.totp_secret/" + org.orgId(), secret),
                        org.orgId(),
                        user.userId())
                .update();

        resealing.resealAll();

        assertThat(db.sql("SELECT totp_secret FROM users WHERE org_id = ? AND id = ?")
                        .params(org.orgId(), user.userId())
                        .query(String.class)
                        .single())
                .startsWith(secrets.currentPrefix());
        ConsoleSession next = new ConsoleSession(api.baseUrl());
        next.get("/console/login");
        String code = Totp.code(secret, Instant.now().getEpochSecond() / Totp.STEP_SECONDS);
        assertThat(next.post(
                                "/console/login",
                                Map.of("username", user.email(), "password", CONSOLE_PASSWORD, "code", code))
                        .location())
                .endsWith("/console/inbox");
    }

    /** Turns two-factor sign-in on from the account page; the secret it showed. */
    private static String turnOn(ConsoleSession user) {
        user.get("/console/account");
        Matcher secret = SECRET.matcher(
                user.post("/console/account/two-factor/start", Map.of()).body());
        assertThat(secret.find()).isTrue();
        String code = Totp.code(secret.group(1), Instant.now().getEpochSecond() / Totp.STEP_SECONDS);
        ConsoleSession.Page on = user.post("/console/account/two-factor/confirm", Map.of("code", code));
        assertThat(on.body()).contains("Two-factor sign-in is on");
        return secret.group(1);
    }
}
