package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Emails an invitation's one-time link when an SMTP server is configured ({@code spring.mail.host}: Spring Boot then
 * makes the {@link JavaMailSender}) and the console's public address is known ({@code rh.console.public-url}).
 * Otherwise, or when the mail server refuses, the link is only shown to the inviter, as always; the log never holds
 * the link.
 */
@Component
class InvitationMail {

    private static final Logger log = LoggerFactory.getLogger(InvitationMail.class);

    private final ObjectProvider<JavaMailSender> mail;
    private final ConsoleSettings settings;

    InvitationMail(ObjectProvider<JavaMailSender> mail, ConsoleSettings settings) {
        this.mail = mail;
        this.settings = settings;
    }

    /** Sends the link to the account's email; true when the mail server took it. */
    boolean send(UserAccounts.Account account, String path) {
        JavaMailSender sender = mail.getIfAvailable();
        if (sender == null || settings.publicUrl().isBlank() || account.email() == null) {
            return false;
        }
        String link = settings.publicUrl().replaceAll("/+$", "") + path;
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, "UTF-8");
            helper.setFrom(settings.mailFrom());
            helper.setTo(account.email());
            helper.setSubject("Your sign-in to RH WhatsApp");
            helper.setText("""
                    Hello %s,

                    you have been invited to the RH WhatsApp console as %s. Choose your password here (the link works \
                    once, for %d hours):

                    %s
                    """.formatted(
                            account.name(),
                            account.role().value(),
                            settings.inviteValidity().toHours(),
                            link));
            sender.send(message);
            return true;
        } catch (MessagingException | MailException e) {
            log.warn(
                    "The invitation email to user {} was not sent ({}); the link is shown to the inviter only",
                    account.userId(),
                    e.getClass().getSimpleName());
            return false;
        }
    }
}
