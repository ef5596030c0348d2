package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is signed in to the console: a user of one org (agent or admin). Kept in the session (serialized by Spring
 * Session JDBC), so it holds ids only.
 */
public record ConsoleUser(String orgId, String userId, String name, String email, Role role)
        implements AuthenticatedPrincipal, Serializable {

    /** The session's principal name (Spring Session indexes it): the user's id. */
    @Override
    public String getName() {
        return userId;
    }

    static ConsoleUser of(UserAccounts.Account account) {
        return new ConsoleUser(account.orgId(), account.userId(), account.name(), account.email(), account.role());
    }

    /**
     * The org-API caller this user acts as: an agent reads and sends; an admin may do everything an API key may.
     * Every console action goes through the services with this caller, so the API's scope and tenant checks apply.
     */
    public Caller caller() {
        Set<Scope> scopes = role == Role.ADMIN ? Scope.all() : EnumSet.of(Scope.SEND, Scope.READ);
        return new Caller(orgId, "console:" + userId, scopes);
    }

    /** The authentication of a user who signed in: their role is their authority. */
    Authentication authentication() {
        return UsernamePasswordAuthenticationToken.authenticated(
                this, null, List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
    }

    /** {@link #caller()}, after checking that it holds the scope the API operation needs (403 otherwise). */
    public Caller callerWith(Scope scope) {
        Caller caller = caller();
        caller.requireScope(scope);
        return caller;
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }
}
