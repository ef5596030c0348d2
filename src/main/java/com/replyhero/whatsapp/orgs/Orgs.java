package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.secrets.SecretBox;
import com.replyhero.whatsapp.secrets.SecretUnreadableException;
import com.replyhero.whatsapp.web.ApiException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
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

    /** An org's time zone and template language when the operator names none. */
    public static final String DEFAULT_TIME_ZONE = "Asia/Kuala_Lumpur";

    public static final String DEFAULT_LANGUAGE = "en_US";

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
     * Sets the org's default channel: changes the token, pace and name of the default it has, or makes this one its
     * default when it has none. A channel's number never changes (409 {@code phone_number_immutable}): statuses and
     * customers' windows belong to the number; a new number is a new channel.
     */
    public Channel saveDefaultChannel(Channel channel) {
        return inOrgLock(channel.orgId(), () -> {
            Optional<Channel> current = defaultChannel(channel.orgId());
            if (current.isEmpty()) {
                return insert(channel, true);
            }
            sameNumber(current.get(), channel);
            return update(channel, current.get().id()).orElseThrow();
        });
    }

    /**
     * Adds a number to the org: its default when it has none yet, or when {@code makeDefault}. One transaction, the
     * org's channels locked, so that concurrent changes never make two defaults or none.
     */
    public Channel addChannel(Channel channel, boolean makeDefault) {
        return inOrgLock(channel.orgId(), () -> {
            boolean first = defaultChannel(channel.orgId()).isEmpty();
            if (makeDefault && !first) {
                clearDefault(channel.orgId());
            }
            return insert(channel, first || makeDefault);
        });
    }

    /**
     * Changes the channel's token, pace and name, and with {@code makeDefault} true makes it the org's default (the
     * one before it no longer is); empty when the org has no channel of that id. Its number never changes (409
     * {@code phone_number_immutable}); an org always keeps a default (409 {@code default_channel_required} for
     * {@code makeDefault} false on the default). Every check before any change, in one transaction.
     */
    public Optional<Channel> updateChannel(Channel channel, Boolean makeDefault) {
        return inOrgLock(channel.orgId(), () -> {
            Optional<Channel> current = channel(channel.orgId(), channel.id());
            if (current.isEmpty()) {
                return Optional.<Channel>empty();
            }
            sameNumber(current.get(), channel);
            if (Boolean.FALSE.equals(makeDefault) && current.get().isDefault()) {
                throw new ApiException(
                        HttpStatus.CONFLICT,
                        "default_channel_required",
                        "an org always has a default channel: make another channel the default instead",
                        "default");
            }
            if (Boolean.TRUE.equals(makeDefault) && !current.get().isDefault()) {
                clearDefault(channel.orgId());
                setDefault(channel.orgId(), channel.id());
            }
            return update(channel, channel.id());
        });
    }

    private static void sameNumber(Channel current, Channel changed) {
        if (!current.phoneNumberId().equals(changed.phoneNumberId())) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "phone_number_immutable",
                    "a channel's phoneNumberId cannot change (statuses and customers' windows belong to the number):"
                            + " add the new number with POST /admin/orgs/{orgId}/channels and make it the default",
                    "phoneNumberId");
        }
    }

    /** Runs {@code change} in one transaction that holds the org's row: the org's channel changes one at a time. */
    private <T> T inOrgLock(String orgId, java.util.function.Supplier<T> change) {
        return transaction.execute(status -> {
            db.sql("SELECT id FROM orgs WHERE id = :orgId FOR UPDATE")
                    .param("orgId", orgId)
                    .query(String.class)
                    .optional()
                    .orElseThrow(() -> ApiException.notFound("org", "orgId"));
            return change.get();
        });
    }

    private Channel insert(Channel channel, boolean isDefault) {
        return db.sql("""
                        INSERT INTO channels (org_id, id, phone_number_id, waba_id, access_token, throughput_per_second,
                                              name, is_default)
                        VALUES (:orgId, :id, :phoneNumberId, :wabaId, :accessToken, :throughput, :name, :isDefault)
                        RETURNING *
                        """)
                .param("orgId", channel.orgId())
                .param("id", Ids.next())
                .param("phoneNumberId", channel.phoneNumberId())
                .param("wabaId", channel.wabaId())
                .param("accessToken", secrets.seal(channel.tokenContext(), channel.accessToken()))
                .param("throughput", channel.throughputPerSecond())
                .param("name", channel.name())
                .param("isDefault", isDefault)
                .query((rs, row) -> channel(rs))
                .single();
    }

    private Optional<Channel> update(Channel channel, String id) {
        return db.sql("""
                        UPDATE channels
                           SET waba_id = :wabaId, access_token = :accessToken, throughput_per_second = :throughput,
                               name = coalesce(:name, name), updated_at = now()
                         WHERE org_id = :orgId AND id = :id
                        RETURNING *
                        """)
                .param("orgId", channel.orgId())
                .param("id", id)
                .param("wabaId", channel.wabaId())
                .param("accessToken", secrets.seal(channel.tokenContext(), channel.accessToken()))
                .param("throughput", channel.throughputPerSecond())
                .param("name", channel.name())
                .query((rs, row) -> channel(rs))
                .optional();
    }

    private void clearDefault(String orgId) {
        db.sql("UPDATE channels SET is_default = false WHERE org_id = :orgId AND is_default")
                .param("orgId", orgId)
                .update();
    }

    private void setDefault(String orgId, String channelId) {
        db.sql("UPDATE channels SET is_default = true, updated_at = now() WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", channelId)
                .update();
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

    /** The org's channel of this number (Meta's phone number id): a send's {@code from}. */
    public Optional<Channel> channelOfNumber(String orgId, String phoneNumberId) {
        return db.sql("SELECT * FROM channels WHERE org_id = :orgId AND phone_number_id = :number")
                .param("orgId", orgId)
                .param("number", phoneNumberId)
                .query((rs, row) -> channel(rs))
                .optional();
    }

    /**
     * The channel a send names: by {@code channelId}, else by {@code from} (the number's phone number id), else null
     * (the default). 404 naming the field as if it did not exist when the org has no such channel.
     */
    public String channelIdOf(String orgId, String channelId, String from) {
        if (channelId != null || from == null) {
            return channelId;
        }
        return channelOfNumber(orgId, from).map(Channel::id).orElseThrow(() -> Channel.notFound("from"));
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

    /** The health of the org's channels (a channel Meta reported nothing of yet has none), by channel id. */
    public Map<String, ChannelHealth> health(String orgId) {
        return db
                .sql("SELECT * FROM channels WHERE org_id = :orgId")
                .param("orgId", orgId)
                .query((rs, row) -> Map.entry(rs.getString("id"), health(rs)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The health of the org's channel; {@link ChannelHealth#UNKNOWN} when Meta reported nothing (or no channel). */
    public ChannelHealth health(String orgId, String channelId) {
        return db.sql("SELECT * FROM channels WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", channelId)
                .query((rs, row) -> health(rs))
                .optional()
                .orElse(ChannelHealth.UNKNOWN);
    }

    /**
     * Records the display phone number (its digits) Meta gave with the number's messages webhook; answers whether it
     * changed anything.
     */
    public boolean recordDisplayPhoneNumber(String phoneNumberId, String digits) {
        return db.sql("""
                        UPDATE channels SET display_phone_number = :digits
                         WHERE phone_number_id = :id AND display_phone_number IS DISTINCT FROM :digits
                        """).param("id", phoneNumberId).param("digits", digits).update() > 0;
    }

    /**
     * The channels (of any org) on the WhatsApp Business Account whose display phone number has these digits: Meta's
     * number health webhooks name the account and the display number only. A channel whose display number is not
     * known yet (no messages webhook named it) matches none: the account may have numbers the gateway does not know.
     */
    public List<Channel> channelsByDisplayPhoneNumber(String wabaId, String digits) {
        return db.sql("""
                        SELECT * FROM channels WHERE waba_id = :wabaId AND display_phone_number = :digits
                         ORDER BY org_id, id
                        """)
                .param("wabaId", wabaId)
                .param("digits", digits)
                .query((rs, row) -> channel(rs))
                .list();
    }

    /** A change of a number's health: what it was, what it is. */
    public record HealthChange(Channel channel, ChannelHealth previous, ChannelHealth current) {}

    /**
     * Sets what Meta reported of the org's channel's health ({@code null}: unchanged), locked against a concurrent
     * report; empty when the org has no such channel or nothing changed (Meta sends a webhook more than once).
     */
    public Optional<HealthChange> changeHealth(
            String orgId,
            String channelId,
            String qualityRating,
            String qualityEvent,
            String messagingLimit,
            java.time.Instant eventTime) {
        return transaction.execute(tx -> {
            Optional<ChannelHealth> before = db.sql(
                            "SELECT * FROM channels WHERE org_id = :orgId AND id = :id FOR UPDATE")
                    .param("orgId", orgId)
                    .param("id", channelId)
                    .query((rs, row) -> health(rs))
                    .optional();
            if (before.isEmpty()) {
                return Optional.<HealthChange>empty();
            }
            ChannelHealth was = before.get();
            String quality = qualityRating == null ? was.qualityRating() : qualityRating;
            String event = qualityEvent == null ? was.qualityEvent() : qualityEvent;
            String limit = messagingLimit == null ? was.messagingLimit() : messagingLimit;
            if (Objects.equals(quality, was.qualityRating())
                    && Objects.equals(event, was.qualityEvent())
                    && Objects.equals(limit, was.messagingLimit())) {
                return Optional.<HealthChange>empty();
            }
            return db.sql("""
                            UPDATE channels
                               SET quality_rating = :quality, quality_event = :event, messaging_limit = :limit,
                                   health_changed_at = :eventTime, health_event_time = :eventTime
                             WHERE org_id = :orgId AND id = :id
                               AND (health_event_time IS NULL OR health_event_time <= :eventTime)
                            RETURNING *
                            """)
                    .param("orgId", orgId)
                    .param("id", channelId)
                    .param("eventTime", Timestamp.from(eventTime))
                    .param("quality", quality)
                    .param("event", event)
                    .param("limit", limit)
                    .query((rs, row) -> new HealthChange(channel(rs), was, health(rs)))
                    .optional();
        });
    }

    private static ChannelHealth health(ResultSet rs) throws SQLException {
        Timestamp changedAt = rs.getTimestamp("health_changed_at");
        return new ChannelHealth(
                rs.getString("display_phone_number"),
                rs.getString("quality_rating"),
                rs.getString("quality_event"),
                rs.getString("messaging_limit"),
                changedAt == null ? null : changedAt.toInstant());
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

    /** When the org's user was made (null when the org has no such user). */
    public java.time.Instant userCreatedAt(String orgId, String userId) {
        return db.sql("SELECT created_at FROM users WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", userId)
                .query(java.time.Instant.class)
                .optional()
                .orElse(null);
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
