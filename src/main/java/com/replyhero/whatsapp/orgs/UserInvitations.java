package com.replyhero.whatsapp.orgs;

import java.util.Optional;

/**
 * Invites a new user of an org to the console: the one-time link where they set a password. The console implements
 * it (it owns the link and its validity); the operator's API uses it without depending on the console.
 */
public interface UserInvitations {

    /** The new user and their link's path ({@code /console/invite?token=...}); empty when the email is taken. */
    Optional<InvitedUser> inviteUser(String orgId, String name, String email, UserAccounts.Role role);

    record InvitedUser(UserAccounts.Account account, String path) {}
}
