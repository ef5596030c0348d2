package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in page, and the one-time invitation link where a new user sets a password. */
@Controller
class SignInController {

    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 128;

    private final UserAccounts accounts;
    private final PasswordEncoder passwords;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    SignInController(UserAccounts accounts, PasswordEncoder passwords) {
        this.accounts = accounts;
        this.passwords = passwords;
    }

    @GetMapping("/console")
    String home() {
        Object principal = ConsolePages.principal();
        if (principal instanceof Operator) {
            return "redirect:/console/operator";
        }
        return principal instanceof ConsoleUser ? "redirect:/console/inbox" : "redirect:" + ConsoleSecurity.LOGIN;
    }

    @GetMapping(ConsoleSecurity.LOGIN)
    String login() {
        return "console/login";
    }

    @GetMapping("/console/invite")
    String invite(@RequestParam(required = false) String token, Model model) {
        model.addAttribute("token", token);
        model.addAttribute(
                "account", token == null ? null : accounts.invited(token).orElse(null));
        return "console/invite";
    }

    @PostMapping("/console/invite")
    String accept(
            @RequestParam(required = false) String token,
            @RequestParam(required = false) String password,
            @RequestParam(required = false) String confirm,
            Model model,
            HttpServletRequest request,
            HttpServletResponse response) {
        Optional<UserAccounts.Account> invited = token == null ? Optional.empty() : accounts.invited(token);
        String problem = invited.isEmpty() ? null : problem(password, confirm);
        if (invited.isEmpty() || problem != null) {
            model.addAttribute("token", token);
            model.addAttribute("account", invited.orElse(null));
            model.addAttribute("error", problem);
            response.setStatus(invited.isEmpty() ? 404 : 400);
            return "console/invite";
        }
        Optional<UserAccounts.Account> accepted = accounts.accept(token, passwords.encode(password));
        if (accepted.isEmpty()) { // the link was spent by a concurrent request
            model.addAttribute("account", null);
            response.setStatus(404);
            return "console/invite";
        }
        accounts.signedIn(accepted.get().orgId(), accepted.get().userId());
        signIn(ConsoleUser.of(accepted.get()), request, response);
        return "redirect:/console/inbox";
    }

    private static String problem(String password, String confirm) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return "The password needs at least " + MIN_PASSWORD + " characters.";
        }
        if (password.length() > MAX_PASSWORD) {
            return "The password may have at most " + MAX_PASSWORD + " characters.";
        }
        if (!password.equals(confirm)) {
            return "The two passwords differ.";
        }
        return null;
    }

    /** As a sign-in through the form does: a new session id (no fixation), the user in the session. */
    private void signIn(ConsoleUser user, HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(user.authentication());
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }
}
