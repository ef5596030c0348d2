package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before the console authorizes a request: a session older than the absolute timeout is ended, and so is a user's
 * whose account was disabled or whose role changed since they signed in (the account is read anew on every
 * request, so a change takes effect at once on every node). Only in the console's filter chain, not a servlet
 * filter of its own.
 */
class ConsoleSessionChecks extends OncePerRequestFilter {

    private final UserAccounts accounts;
    private final Duration absoluteTimeout;

    ConsoleSessionChecks(UserAccounts accounts, ConsoleSettings settings) {
        this.accounts = accounts;
        this.absoluteTimeout = settings.absoluteTimeout();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (session != null && authentication != null && !stillValid(session, authentication)) {
            session.invalidate();
            SecurityContextHolder.clearContext();
            response.sendRedirect(request.getContextPath() + ConsoleSecurity.LOGIN + "?expired");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean stillValid(HttpSession session, Authentication authentication) {
        if (System.currentTimeMillis() - session.getCreationTime() > absoluteTimeout.toMillis()) {
            return false;
        }
        if (authentication.getPrincipal() instanceof ConsoleUser user) {
            Optional<UserAccounts.Account> account = accounts.find(user.orgId(), user.userId());
            return account.isPresent()
                    && !account.get().disabled()
                    && account.get().passwordSet()
                    && account.get().role() == user.role();
        }
        return true;
    }
}
