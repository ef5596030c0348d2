package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Organizations, their channels (WhatsApp numbers) and their users. */
@Repository
public class Orgs {

    private final JdbcClient db;
    private final SecretBox secrets;
    private final TransactionTemplate transaction;

    Orgs(JdbcClient db, SecretBox secrets, TransactionTemplate transaction) {
        this.db = db;
        this.secrets = secrets;
        this.transaction = transaction;
    }

    public Org create(String name, String timeZone, String defaultLanguage) {
        return db.sql("""
                        INSERT INTO orgs (id, name, time_zone, default_language)
                        VALUES (:id, :name, :timeZone, :language)
                        RETURNING *
                        """)
                .param("id", Ids.next())
                .param("name", name)
                .param("timeZone", timeZone)
                .param("language", defaultLanguage)
                .query(Orgs::org)
                .single();
    }

    public Optional<Org> find(String orgId) {
        return db.sql("SELECT * FROM orgs WHERE id = :id")
                .param("id", orgId)
                .query(Orgs::org)
                .optional();
    }

    public List<Org> list(int limit) {
        return db.sql("SELECT * FROM orgs ORDER BY created_at, id LIMIT :limit")
                .param("limit", limit)
                .query(Orgs::org)
                .list();
    }

    /** The org, or 404 as if it did not exist. */
    public Org get(String orgId) {
        return find(orgId).orElseThrow(() -> com.replyhero.whatsapp.web.ApiException.notFound("org", "orgId"));
    }

    /** Sets whether the org's inbound messages are marked read as soon as they are stored; empty if no such org. */
    public Optional<Org> setAutoMarkRead(String orgId, boolean autoMarkRead) {
        return db.sql("UPDATE orgs SET auto_mark_read = :value WHERE id = :id RETURNING *")
                .param("id", orgId)
                .param("value", autoMarkRead)
                .query(Orgs::org)
                .optional();
    }

    public boolean any() {
        return db.sql("SELECT EXISTS (SELECT 1 FROM orgs)").query(Boolean.class).single();
    }

    /**
     * Sets the org's default channel: changes the number, token and pace of the default it has, or makes this one
     * its default when it has none.
     */
    public Channel saveDefaultChannel(Channel channel) {
        return db.sql("""
                        INSERT INTO channels (org_id, id, phone_number_id, waba_id, access_token, throughput_per_second,
                                              name, is_default)
                        VALUES (:orgId, :id, :phoneNumberId, :wabaId, :accessToken, :throughput, :name, true)
                        ON CONFLICT (org_id) WHERE is_default DO UPDATE
                           SET phone_number_id = excluded.phone_number_id,
                               waba_id = excluded.waba_id,
                               access_token = excluded.access_token,
                               throughput_per_second = excluded.throughput_per_second,
                               name = coalesce(excluded.name, channels.name),
                               updated_at = now()
                        RETURNING *
                        """)
                .param("orgId", channel.orgId())
                .param("id", Ids.next())
                .param("phoneNumberId", channel.phoneNumberId())
                .param("wabaId", channel.wabaId())
                .param("accessToken", secrets.seal(channel.tokenContext(), channel.accessToken()))
                .param("throughput", channel.throughputPerSecond())
                .param("name", channel.name())
                .query((rs, row) -> channel(rs))
                .single();
    }

    /** Adds a number to the org; the org's first channel becomes its default. */
    public Channel addChannel(Channel channel) {
        return db.sql("""
                        INSERT INTO channels (org_id, id, phone_number_id, waba_id, access_token, throughput_per_second,
                                              name, is_default)
                        VALUES (:orgId, :id, :phoneNumberId, :wabaId, :accessToken, :throughput, :name,
                                NOT EXISTS (SELECT 1 FROM channels WHERE org_id = :orgId AND is_default))
                        RETURNING *
                        """)
                .param("orgId", channel.orgId())
                .param("id", Ids.next())
                .param("phoneNumberId", channel.phoneNumberId())
                .param("wabaId", channel.wabaId())
                .param("accessToken", secrets.seal(channel.tokenContext(), channel.accessToken()))
                .param("throughput", channel.throughputPerSecond())
                .param("name", channel.name())
                .query((rs, row) -> channel(rs))
                .single();
    }

    /** Changes the channel's number, token, pace and name; empty when the org has no channel of that id. */
    public Optional<Channel> updateChannel(Channel channel) {
        return db.sql("""
                        UPDATE channels
                           SET phone_number_id = :phoneNumberId, waba_id = :wabaId, access_token = :accessToken,
                               throughput_per_second = :throughput, name = :name, updated_at = now()
                         WHERE org_id = :orgId AND id = :id
                        RETURNING *
                        """)
                .param("orgId", channel.orgId())
                .param("id", channel.id())
                .param("phoneNumberId", channel.phoneNumberId())
                .param("wabaId", channel.wabaId())
                .param("accessToken", secrets.seal(channel.tokenContext(), channel.accessToken()))
                .param("throughput", channel.throughputPerSecond())
                .param("name", channel.name())
                .query((rs, row) -> channel(rs))
                .optional();
    }

    /**
     * Makes the channel the org's default (the one before it no longer is); empty when the org has no channel of that
     * id. Two statements in one transaction: the index that allows one default per org is checked row by row.
     */
    public Optional<Channel> makeDefault(String orgId, String channelId) {
        return transaction.execute(status -> {
            if (channel(orgId, channelId).isEmpty()) {
                return Optional.<Channel>empty();
            }
            db.sql("UPDATE channels SET is_default = false WHERE org_id = :orgId AND is_default AND id <> :id")
                    .param("orgId", orgId)
                    .param("id", channelId)
                    .update();
            return db.sql("""
                            UPDATE channels SET is_default = true, updated_at = now()
                             WHERE org_id = :orgId AND id = :id
                            RETURNING *
                            """)
                    .param("orgId", orgId)
                    .param("id", channelId)
                    .query((rs, row) -> channel(rs))
                    .optional();
        });
    }

    /** The org's default channel: where a send that names no channel goes out from. */
    public Optional<Channel> defaultChannel(String orgId) {
        return db.sql("SELECT * FROM channels WHERE org_id = :orgId AND is_default")
                .param("orgId", orgId)
                .query((rs, row) -> channel(rs))
                .optional();
    }

    /** The org's channel of that id. */
    public Optional<Channel> channel(String orgId, String channelId) {
        return db.sql("SELECT * FROM channels WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", channelId)
                .query((rs, row) -> channel(rs))
                .optional();
    }

    /**
     * The channel a stored message or broadcast went through: its {@code channelId}, or the org's default when it has
     * none (written before channels had ids, see V20).
     */
    public Optional<Channel> channelOrDefault(String orgId, String channelId) {
        return channelId == null ? defaultChannel(orgId) : channel(orgId, channelId);
    }

    /** The org's channels, the default first. */
    public List<Channel> channels(String orgId) {
        return db.sql("SELECT * FROM channels WHERE org_id = :orgId ORDER BY is_default DESC, created_at, id")
                .param("orgId", orgId)
                .query((rs, row) -> channel(rs))
                .list();
    }

    /** The channel a Meta webhook speaks of (webhooks name the number, not the org). */
    public Optional<Channel> channelByPhoneNumberId(String phoneNumberId) {
        return db.sql("SELECT * FROM channels WHERE phone_number_id = :id")
                .param("id", phoneNumberId)
                .query((rs, row) -> channel(rs))
                .optional();
    }

    /** The channels of every org on one WhatsApp Business Account (Meta's template webhooks name the account). */
    public List<Channel> channelsByWabaId(String wabaId) {
        return db.sql("SELECT * FROM channels WHERE waba_id = :wabaId ORDER BY org_id, id")
                .param("wabaId", wabaId)
                .query((rs, row) -> channel(rs))
                .list();
    }

    public User createUser(String orgId, String name, String email) {
        return db.sql("""
                        INSERT INTO users (org_id, id, name, email) VALUES (:orgId, :id, :name, :email)
                        RETURNING *
                        """)
                .param("orgId", orgId)
                .param("id", Ids.next())
                .param("name", name)
                .param("email", email)
                .query(Orgs::user)
                .single();
    }

    public List<User> users(String orgId, int limit) {
        return db.sql("SELECT * FROM users WHERE org_id = :orgId ORDER BY created_at, id LIMIT :limit")
                .param("orgId", orgId)
                .param("limit", limit)
                .query(Orgs::user)
                .list();
    }

    public boolean userExists(String orgId, String userId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE org_id = :orgId AND id = :id)")
                .param("orgId", orgId)
                .param("id", userId)
                .query(Boolean.class)
                .single();
    }

    private static Org org(ResultSet rs, int row) throws SQLException {
        return new Org(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("time_zone"),
                rs.getString("default_language"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("auto_mark_read"));
    }

    /**
     * The channel with its token opened (it is sealed in the table). A token that does not open stays sealed: the
     * channel is still shown (its hint says so) and every send with it fails cleanly where the token is used
     * (CloudApi), so one org's unreadable token never breaks a listing of every org.
     */
    private Channel channel(ResultSet rs) throws SQLException {
        Channel stored = new Channel(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("phone_number_id"),
                rs.getString("waba_id"),
                rs.getString("access_token"),
                rs.getInt("throughput_per_second"),
                rs.getString("name"),
                rs.getBoolean("is_default"));
        try {
            return stored.withAccessToken(secrets.open(stored.tokenContext(), stored.accessToken()));
        } catch (SecretUnreadableException e) {
            return stored;
        }
    }

    private static User user(ResultSet rs, int row) throws SQLException {
        return new User(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("email"),
                rs.getTimestamp("created_at").toInstant());
    }
}
