package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.secrets.SecretBox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How an org's users sign in to the console: invitations (only the SHA-256 of a one-time link is kept), the
 * password hash the user sets, their role, and the failed sign-ins that lock an account for a while. The users
 * table is the orgs feature's; this is its sign-in half.
 */
@Repository
public class UserAccounts {

    public enum Role {
        AGENT,
        ADMIN;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Role> of(String value) {
            for (Role role : values()) {
                if (role.value().equals(value)) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }
    }

    /** A user as the console sees it: never the password hash. */
    public record Account(
            String orgId,
            String userId,
            String name,
            String email,
            Role role,
            boolean passwordSet,
            boolean invitePending,
            Instant lockedUntil,
            Instant lastSignInAt,
            boolean disabled,
            boolean twoFactor) {}

    /**
     * What a sign-in needs: the account, its password hash (null until the invite is accepted) and its two-factor
     * secret in clear (null when two-factor sign-in is off).
     */
    public record Credentials(Account account, String passwordHash, String twoFactorSecret) {}

    /** A new invitation: the one-time token, to be shown to the inviter once (it is kept only hashed). */
    public record Invitation(Account account, String token, Instant expiresAt) {}

    private final JdbcClient db;
    private final SecretBox secrets;

    UserAccounts(JdbcClient db, SecretBox secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    /** What a user's two-factor secret is sealed to. */
    static String twoFactorContext(String orgId) {
        return "users.totp_secret/" + orgId;
    }

    /**
     * Invites a new user to an org. Empty when the email already belongs to a user (of any org: an email names one
     * user).
     */
    public Optional<Invitation> invite(String orgId, String name, String email, Role role, Duration validFor) {
        String token = Ids.random(43);
        Instant expiresAt = Instant.now().plus(validFor);
        try {
            Account account = db.sql("""
                            INSERT INTO users (org_id, id, name, email, role, invite_hash, invite_expires_at)
                            VALUES (:orgId, :id, :name, :email, :role, :inviteHash, :expiresAt)
                            RETURNING *
                            """)
                    .param("orgId", orgId)
                    .param("id", Ids.next())
                    .param("name", name)
                    .param("email", email)
                    .param("role", role.value())
                    .param("inviteHash", sha256(token))
                    .param("expiresAt", Timestamp.from(expiresAt))
                    .query(UserAccounts::account)
                    .single();
            return Optional.of(new Invitation(account, token, expiresAt));
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    /**
     * A new one-time link for an existing user of the org (a lost link, a forgotten password, a lost authenticator):
     * the old link, the password and two-factor sign-in stop working.
     */
    public Optional<Invitation> reinvite(String orgId, String userId, Duration validFor) {
        String token = Ids.random(43);
        Instant expiresAt = Instant.now().plus(validFor);
        return db.sql("""
                        UPDATE users
                           SET invite_hash = :inviteHash, invite_expires_at = :expiresAt, password_hash = NULL,
                               totp_secret = NULL, totp_last_step = NULL, failed_sign_ins = 0, locked_until = NULL
                         WHERE org_id = :orgId AND id = :userId
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("userId", userId)
                .param("inviteHash", sha256(token))
                .param("expiresAt", Timestamp.from(expiresAt))
                .query(UserAccounts::account)
                .optional()
                .map(account -> new Invitation(account, token, expiresAt));
    }

    /** The account a one-time link is for, while the link is valid. */
    public Optional<Account> invited(String token) {
        return db.sql("""
                        SELECT * FROM users
                         WHERE invite_hash = :inviteHash AND invite_expires_at > now() AND disabled_at IS NULL
                        """)
                .param("inviteHash", sha256(token))
                .query(UserAccounts::account)
                .optional();
    }

    /** Sets the password of the link's account and spends the link (once: a second use finds nothing). */
    public Optional<Account> accept(String token, String passwordHash) {
        return db.sql("""
                        UPDATE users
                           SET password_hash = :passwordHash, invite_hash = NULL, invite_expires_at = NULL,
                               failed_sign_ins = 0, locked_until = NULL
                         WHERE invite_hash = :inviteHash AND invite_expires_at > now() AND disabled_at IS NULL
                        RETURNING *
                        """)
                .param("inviteHash", sha256(token))
                .param("passwordHash", passwordHash)
                .query(UserAccounts::account)
                .optional();
    }

    /** The credentials for a sign-in by email (case-insensitive). */
    public Optional<Credentials> credentials(String email) {
        return db.sql("SELECT * FROM users WHERE lower(email) = lower(:email)")
                .param("email", email)
                .query((rs, row) -> new Credentials(
                        account(rs, row), rs.getString("password_hash"), opened(rs.getString("org_id"), rs)))
                .optional();
    }

    /** Turns two-factor sign-in on with this secret (sealed in the table). */
    public boolean enableTwoFactor(String orgId, String userId, String secret) {
        return db.sql("""
                        UPDATE users SET totp_secret = :sealed, totp_last_step = NULL
                         WHERE org_id = :orgId AND id = :userId
                        """)
                        .param("orgId", orgId)
                        .param("userId", userId)
                        .param("sealed", secrets.seal(twoFactorContext(orgId), secret))
                        .update()
                == 1;
    }

    public boolean disableTwoFactor(String orgId, String userId) {
        return db.sql("""
                        UPDATE users SET totp_secret = NULL, totp_last_step = NULL
                         WHERE org_id = :orgId AND id = :userId
                        """).param("orgId", orgId).param("userId", userId).update() == 1;
    }

    /**
     * Spends a two-factor code's time step: true once per step and user (a code seen or used already is refused,
     * on every node), and never for a step older than the last one used.
     */
    public boolean spendTwoFactorStep(String orgId, String userId, long step) {
        return db.sql("""
                        UPDATE users SET totp_last_step = :step
                         WHERE org_id = :orgId AND id = :userId AND totp_secret IS NOT NULL
                           AND (totp_last_step IS NULL OR totp_last_step < :step)
                        """)
                        .param("orgId", orgId)
                        .param("userId", userId)
                        .param("step", step)
                        .update()
                == 1;
    }

    private String opened(String orgId, ResultSet rs) throws SQLException {
        String sealed = rs.getString("totp_secret");
        return sealed == null ? null : secrets.open(twoFactorContext(orgId), sealed);
    }

    /** Counts a failed sign-in; the failure that reaches {@code maxFailures} locks the account for {@code lockFor}. */
    public void signInFailed(String orgId, String userId, int maxFailures, Duration lockFor) {
        db.sql("""
                        UPDATE users
                           SET failed_sign_ins = failed_sign_ins + 1,
                               locked_until = CASE WHEN failed_sign_ins + 1 >= :maxFailures
                                                   THEN now() + make_interval(secs => :lockSeconds)
                                                   ELSE locked_until END
                         WHERE org_id = :orgId AND id = :userId
                        """)
                .param("orgId", orgId)
                .param("userId", userId)
                .param("maxFailures", maxFailures)
                .param("lockSeconds", lockFor.toSeconds())
                .update();
    }

    /** A successful sign-in: the failures are forgotten. */
    public void signedIn(String orgId, String userId) {
        db.sql("""
                        UPDATE users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = now()
                         WHERE org_id = :orgId AND id = :userId
                        """).param("orgId", orgId).param("userId", userId).update();
    }

    /** The account of one user of the org, as it is now (a session re-reads it: a disabled user is signed out). */
    public Optional<Account> find(String orgId, String userId) {
        return db.sql("SELECT * FROM users WHERE org_id = :orgId AND id = :userId")
                .param("orgId", orgId)
                .param("userId", userId)
                .query(UserAccounts::account)
                .optional();
    }

    public List<Account> list(String orgId, int limit) {
        return db.sql("SELECT * FROM users WHERE org_id = :orgId ORDER BY name, id LIMIT :limit")
                .param("orgId", orgId)
                .param("limit", limit)
                .query(UserAccounts::account)
                .list();
    }

    /** Disables (or enables again) one user of the org: a disabled user cannot sign in, nor use a link. */
    public boolean setDisabled(String orgId, String userId, boolean disabled) {
        return db.sql("""
                        UPDATE users SET disabled_at = CASE WHEN :disabled THEN now() ELSE NULL END
                         WHERE org_id = :orgId AND id = :userId
                        """)
                        .param("orgId", orgId)
                        .param("userId", userId)
                        .param("disabled", disabled)
                        .update()
                == 1;
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Account account(ResultSet rs, int row) throws SQLException {
        return new Account(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("email"),
                Role.of(rs.getString("role")).orElseThrow(),
                rs.getString("password_hash") != null,
                rs.getString("invite_hash") != null,
                instant(rs.getTimestamp("locked_until")),
                instant(rs.getTimestamp("last_sign_in_at")),
                rs.getTimestamp("disabled_at") != null,
                rs.getString("totp_secret") != null);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
