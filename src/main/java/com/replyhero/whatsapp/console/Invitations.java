package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.orgs.UserInvitations;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Invitations to the console: a new user of an org and the one-time link where they set a password, shown to the
 * inviter (no mail server is assumed). Empty when the email belongs to a user already.
 */
@Component
public class Invitations implements UserInvitations {

    private final UserAccounts accounts;
    private final ConsoleSettings settings;

    Invitations(UserAccounts accounts, ConsoleSettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    /** A new user and their link, relative to the gateway's base URL ({@code /console/invite?token=...}). */
    public Optional<Invited> invite(String orgId, String name, String email, Role role) {
        return accounts.invite(orgId, name, email, role, settings.inviteValidity())
                .map(invitation -> new Invited(invitation.account(), link(invitation.token())));
    }

    @Override
    public Optional<InvitedUser> inviteUser(String orgId, String name, String email, Role role) {
        return invite(orgId, name, email, role).map(invited -> new InvitedUser(invited.account(), invited.path()));
    }

    /** A new link for an existing user of the org; the old link and password stop working. */
    public Optional<Invited> reinvite(String orgId, String userId) {
        return accounts.reinvite(orgId, userId, settings.inviteValidity())
                .map(invitation -> new Invited(invitation.account(), link(invitation.token())));
    }

    public record Invited(UserAccounts.Account account, String path) {}

    private static String link(String token) {
        return "/console/invite?token=" + token;
    }
}
