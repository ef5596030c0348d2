package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The invite form of the admin's users page and the operator's org page: checked, then an invitation. */
record InviteForm(String name, String email, String role) {

    Invitations.Invited invite(Invitations invitations, String orgId) {
        String checkedName = Require.text(name, "name", 200);
        String checkedEmail = Require.text(email, "email", 320).strip();
        if (!checkedEmail.contains("@")) {
            throw ApiException.invalid("email", "The email must be an email address.");
        }
        Role checkedRole = Role.of(role == null ? "agent" : role)
                .orElseThrow(() -> ApiException.invalid("role", "The role must be agent or admin."));
        return invitations
                .invite(orgId, checkedName, checkedEmail, checkedRole)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.CONFLICT, "email_in_use", "A user with this email exists already.", "email"));
    }

    /** The link as the inviter passes it on: the request's base URL and the link's path. */
    static String absolute(String path) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() + path;
    }
}
