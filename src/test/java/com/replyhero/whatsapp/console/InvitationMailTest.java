package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With an SMTP server configured, an invitation's link is also emailed (a real SMTP server: GreenMail). */
class InvitationMailTest extends GatewayTest {

    private static final GreenMail SMTP = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", "smtp"));

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("rh.console.public-url", () -> "https://chat.example.com/");
    }

    @AfterAll
    static void stopMailServer() {
        SMTP.stop();
    }

    @Test
    void anInvitationFromTheUsersPageIsEmailedWithAWorkingLink() throws Exception {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        String email = "invited" + randomDigits(8) + "@example.com";
        admin.get("/console/admin/users");

        ConsoleSession.Page invited =
                admin.post("/console/admin/users", Map.of("name", "Mo", "email", email, "role", "agent"));

        assertThat(invited.body()).contains("id=\"invite-emailed\"");
        assertThat(SMTP.waitForIncomingEmail(10_000, 2))
                .as("the admin's and the new user's")
                .isTrue();
        MimeMessage mail = java.util.Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> recipient(m).equals(email))
                .findFirst()
                .orElseThrow();
        Matcher link = Pattern.compile("https://chat\\.example\\.com(/console/invite\\?token=[A-Za-z0-9]+)")
                .matcher(GreenMailUtil.getBody(mail));
        assertThat(link.find()).isTrue();
        ConsoleSession.accepting(api.baseUrl(), link.group(1), CONSOLE_PASSWORD);
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
