package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.web.AdminTokenFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Checks a console sign-in: an org user's email and password (Argon2id) and, when they turned it on, a two-factor
 * code ({@link Totp}); or {@code operator} and the admin token.
 * Every attempt counts against its address ({@link SignInThrottle}); failed passwords lock the account after
 * {@link ConsoleSettings#maxFailedSignIns} in a row. The answer never says whether the email exists.
 */
@Component
class ConsoleSignIn implements AuthenticationProvider {

    static final String OPERATOR_NAME = "operator";

    private final UserAccounts accounts;
    private final PasswordEncoder passwords;
    private final AdminTokenFilter admin;
    private final SignInThrottle throttle;
    private final ConsoleSettings settings;
    private final String unknownUserHash;

    ConsoleSignIn(
            UserAccounts accounts,
            PasswordEncoder passwords,
            AdminTokenFilter admin,
            SignInThrottle throttle,
            ConsoleSettings settings) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.admin = admin;
        this.throttle = throttle;
        this.settings = settings;
        // an unknown email costs as much as a wrong password: the time taken does not tell which it was
        this.unknownUserHash = passwords.encode("not a password of anyone's");
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String address =
                attempt.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
        if (!throttle.tryAttempt(address)) {
            throw new SignInThrottled();
        }
        String name = attempt.getName() == null ? "" : attempt.getName().strip();
        String password =
                attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        if (name.equals(OPERATOR_NAME)) {
            return operator(password);
        }
        Optional<UserAccounts.Credentials> found = accounts.credentials(name);
        if (found.isEmpty()
                || found.get().passwordHash() == null
                || found.get().account().disabled()) {
            passwords.matches(password, unknownUserHash);
            throw new BadCredentialsException("wrong email or password");
        }
        UserAccounts.Account account = found.get().account();
        if (account.lockedUntil() != null && account.lockedUntil().isAfter(Instant.now())) {
            // the same answer, in the same time, as a wrong password: a lock must not tell that the email exists
            passwords.matches(password, unknownUserHash);
            throw new BadCredentialsException("wrong email, password or code");
        }
        if (!passwords.matches(password, found.get().passwordHash())
                || !secondFactor(found.get(), attempt.getDetails())) {
            accounts.signInFailed(account.orgId(), account.userId(), settings.maxFailedSignIns(), settings.lockout());
            throw new BadCredentialsException("wrong email, password or code");
        }
        accounts.signedIn(account.orgId(), account.userId());
        return ConsoleUser.of(account).authentication();
    }

    /** True without two-factor; with it, the code must match and its time step must not have been used. */
    private boolean secondFactor(UserAccounts.Credentials credentials, Object details) {
        String secret = credentials.twoFactorSecret();
        if (secret == null) {
            return true;
        }
        String code = details instanceof SignInDetails signIn ? signIn.code() : null;
        OptionalLong step = Totp.matchingStep(secret, code, Instant.now());
        UserAccounts.Account account = credentials.account();
        return step.isPresent() && accounts.spendTwoFactorStep(account.orgId(), account.userId(), step.getAsLong());
    }

    private Authentication operator(String token) {
        if (!MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), admin.token().getBytes(StandardCharsets.UTF_8))) {
            throw new BadCredentialsException("wrong admin token");
        }
        return UsernamePasswordAuthenticationToken.authenticated(
                new Operator(), null, List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Too many attempts from one address this minute. */
    static final class SignInThrottled extends AuthenticationException {
        SignInThrottled() {
            super("too many sign-in attempts");
        }
    }
}
