package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The org's console users (an admin's page): role, pending invitation, last sign-in, disabled; invite (the one-time
 * link shown to the inviter), a new link, disable and enable. An admin cannot disable themself.
 */
@Controller
class AdminUsersController {

    private final UserAccounts accounts;
    private final Invitations invitations;

    AdminUsersController(UserAccounts accounts, Invitations invitations) {
        this.accounts = accounts;
        this.invitations = invitations;
    }

    @GetMapping("/console/admin/users")
    String users(ConsoleUser user, Model model) {
        model.addAttribute("users", accounts.list(user.orgId(), 1000));
        model.addAttribute("me", user.userId());
        return "console/admin/users";
    }

    @PostMapping("/console/admin/users")
    String invite(ConsoleUser user, InviteForm form, Model model, HttpServletResponse response) {
        return invited(form.invite(invitations, user.orgId()), model, response);
    }

    @PostMapping("/console/admin/users/{userId}/reinvite")
    String reinvite(ConsoleUser user, @PathVariable String userId, Model model, HttpServletResponse response) {
        Invitations.Invited invited =
                invitations.reinvite(user.orgId(), userId).orElseThrow(AdminUsersController::notFound);
        return invited(invited, model, response);
    }

    @PostMapping("/console/admin/users/{userId}/disable")
    String disable(ConsoleUser user, @PathVariable String userId) {
        if (userId.equals(user.userId())) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, "cannot_disable_self", "You cannot disable yourself.", "userId");
        }
        return disabled(user, userId, true);
    }

    @PostMapping("/console/admin/users/{userId}/enable")
    String enable(ConsoleUser user, @PathVariable String userId) {
        return disabled(user, userId, false);
    }

    private String disabled(ConsoleUser user, String userId, boolean disabled) {
        if (!accounts.setDisabled(user.orgId(), userId, disabled)) {
            throw notFound();
        }
        return "redirect:/console/admin/users?saved";
    }

    static String invited(Invitations.Invited invited, Model model, HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("account", invited.account());
        model.addAttribute("link", InviteForm.absolute(invited.path()));
        return "console/admin/user-invited";
    }

    private static ApiException notFound() {
        return ApiException.notFound("user", "userId");
    }
}
