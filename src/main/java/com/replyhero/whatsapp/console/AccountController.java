package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.OptionalLong;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A user's own account: two-factor sign-in on and off. Turning it on shows a new secret (and its otpauth URI) once;
 * it is kept in the session, not stored, until a code from the app proves the app has it.
 */
@Controller
class AccountController {

    private static final String PENDING = AccountController.class.getName() + ".pendingSecret";
    static final String ISSUER = "RH WhatsApp";

    private final UserAccounts accounts;

    AccountController(UserAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/console/account")
    String account(ConsoleUser user, Model model) {
        return page(user, model, null, null);
    }

    @PostMapping("/console/account/two-factor/start")
    String start(ConsoleUser user, HttpSession session, Model model) {
        String secret = Totp.newSecret();
        session.setAttribute(PENDING, secret);
        model.addAttribute("secret", secret);
        model.addAttribute("uri", Totp.uri(ISSUER, user.email(), secret));
        return page(user, model, null, null);
    }

    @PostMapping("/console/account/two-factor/confirm")
    String confirm(
            ConsoleUser user,
            @RequestParam(required = false) String code,
            HttpSession session,
            Model model,
            HttpServletResponse response) {
        if (!(session.getAttribute(PENDING) instanceof String secret)) {
            response.setStatus(400);
            return page(user, model, null, "Start again: no new secret is waiting for a code.");
        }
        OptionalLong step = Totp.matchingStep(secret, code, Instant.now());
        if (step.isEmpty()) {
            response.setStatus(400);
            model.addAttribute("secret", secret);
            model.addAttribute("uri", Totp.uri(ISSUER, user.email(), secret));
            return page(user, model, null, "That code does not match; check the app's clock and try the next code.");
        }
        accounts.enableTwoFactor(user.orgId(), user.userId(), secret);
        accounts.spendTwoFactorStep(user.orgId(), user.userId(), step.getAsLong());
        session.removeAttribute(PENDING);
        return page(user, model, "Two-factor sign-in is on: sign-ins now ask for a code from the app.", null);
    }

    @PostMapping("/console/account/two-factor/off")
    String off(
            ConsoleUser user, @RequestParam(required = false) String code, Model model, HttpServletResponse response) {
        String secret = accounts.credentials(user.email())
                .map(UserAccounts.Credentials::twoFactorSecret)
                .orElse(null);
        if (secret == null) {
            return page(user, model, "Two-factor sign-in is off.", null);
        }
        OptionalLong step = Totp.matchingStep(secret, code, Instant.now());
        if (step.isEmpty() || !accounts.spendTwoFactorStep(user.orgId(), user.userId(), step.getAsLong())) {
            response.setStatus(400);
            return page(user, model, null, "That code does not match.");
        }
        accounts.disableTwoFactor(user.orgId(), user.userId());
        return page(user, model, "Two-factor sign-in is off.", null);
    }

    private String page(ConsoleUser user, Model model, String note, String error) {
        UserAccounts.Account account =
                accounts.find(user.orgId(), user.userId()).orElseThrow(() -> ApiException.notFound("user", null));
        model.addAttribute("account", account);
        model.addAttribute("note", note);
        model.addAttribute("error", error);
        return "console/account";
    }
}
