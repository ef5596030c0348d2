package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The customers of each org. */
@Repository
public class Customers {

    /**
     * Meta's customer-service window, the one rule, on the database's clock: free-form messages only within 24
     * hours of the customer's last message. Every customer read carries it ({@link Customer#windowOpen()}) and when
     * it closes.
     */
    private static final String WINDOW_OPEN = windowColumns("customers");

    /**
     * The window's length: {@code rh.customers.window} (24 hours, Meta's), which every pooled connection carries as
     * the session setting {@code rh.customer_window} ({@link CustomerWindowSetting}); 24 hours on a connection
     * without it.
     */
    static final String WINDOW = "coalesce(nullif(current_setting('" + CustomerWindowSetting.SESSION_SETTING
            + "', true), ''), '24 hours')::interval";

    /**
     * Whether Meta's customer-service window is open for the customer row {@code alias}, by the database's clock: it
     * wrote within the window ({@code rh.customers.window}). For queries of other features that read a customer with
     * their own rows.
     */
    public static String windowOpen(String alias) {
        return "coalesce(" + alias + ".last_inbound_at > now() - " + WINDOW + ", false)";
    }

    private static String windowColumns(String alias) {
        return windowOpen(alias) + " AS window_open, " + alias + ".last_inbound_at + " + WINDOW
                + " AS window_closes_at";
    }

    /**
     * A {@code LEFT JOIN} of the customer {@code :customerId} of the org {@code orgColumn}, as {@code alias}: for a
     * statement of another feature that needs the customer in its own round trip (the send's checks and insert are
     * one statement). The customers feature owns its table, so it writes how it is read: read {@code alias.phone}
     * and {@link #windowOpen}.
     */
    public static String joinCustomer(String alias, String orgColumn) {
        return "LEFT JOIN customers " + alias + " ON " + alias + ".org_id = " + orgColumn + " AND " + alias
                + ".id = :customerId";
    }

    /**
     * A {@code LEFT JOIN} of the customer {@code :customerId}'s window on the number of the channel
     * {@code channelColumn} (of the org {@code orgColumn}), as {@code alias}: Meta's window is per business number.
     * Read it with {@link #windowOpen}.
     */
    public static String joinWindow(String alias, String orgColumn, String channelColumn) {
        return "LEFT JOIN customer_windows " + alias + " ON " + alias + ".org_id = " + orgColumn + " AND " + alias
                + ".customer_id = :customerId AND " + alias + ".channel_id = " + channelColumn;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {};

    private final JdbcClient db;

    Customers(JdbcClient db) {
        this.db = db;
    }

    /** Creates the customer, or answers empty when the org already has one with that phone. */
    public Optional<Customer> create(String orgId, String phone, String name) {
        return create(orgId, phone, name, List.of(), Map.of());
    }

    /** Creates the customer with tags and attributes, or answers empty when the org already has one with that phone. */
    public Optional<Customer> create(
            String orgId, String phone, String name, List<String> tags, Map<String, String> attributes) {
        return db.sql("""
                        INSERT INTO customers (org_id, id, phone, name, tags, attributes)
                        VALUES (:orgId, :id, :phone, :name, :tags, :attributes::jsonb)
                        ON CONFLICT (org_id, phone) DO NOTHING
                        RETURNING *,
                        """ + WINDOW_OPEN)
                .param("orgId", orgId)
                .param("id", Ids.next())
                .param("phone", phone)
                .param("name", name)
                .param("tags", tags.toArray(String[]::new))
                .param("attributes", JSON.writeValueAsString(attributes))
                .query(Customers::customer)
                .optional();
    }

    /** Changes what is given (a null leaves it as it is); answers the customer, or empty when the org has none by that id. */
    public Optional<Customer> update(String orgId, String customerId, Boolean optedOut, String name) {
        return update(orgId, customerId, optedOut, name, null, null);
    }

    /**
     * Changes what is given (a null leaves it as it is): {@code tags} replace the customer's, {@code attributes} are
     * merged into theirs (an attribute given as null is removed). Empty when the org has no customer by that id.
     */
    public Optional<Customer> update(
            String orgId,
            String customerId,
            Boolean optedOut,
            String name,
            List<String> tags,
            Map<String, String> attributes) {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        if (attributes != null) {
            attributes.forEach((key, value) -> {
                if (value == null) {
                    removed.add(key);
                } else {
                    set.put(key, value);
                }
            });
        }
        return db.sql("""
                        UPDATE customers
                           SET opted_out  = coalesce(:optedOut, opted_out),
                               name       = coalesce(:name, name),
                               tags       = coalesce(CAST(:tags AS text[]), tags),
                               attributes = (attributes - :removed::text[]) || :set::jsonb
                         WHERE org_id = :orgId AND id = :id
                           AND (SELECT count(*) FROM jsonb_object_keys((attributes - :removed::text[]) || :set::jsonb))
                               <= greatest(:maxAttributes, (SELECT count(*) FROM jsonb_object_keys(attributes)))
                        RETURNING *,
                        """ + WINDOW_OPEN)
                .param("orgId", orgId)
                .param("id", customerId)
                .param("optedOut", optedOut)
                .param("name", name)
                .param("tags", tags == null ? null : tags.toArray(String[]::new), java.sql.Types.ARRAY)
                .param("removed", removed.toArray(String[]::new))
                .param("set", JSON.writeValueAsString(set))
                .param("maxAttributes", Traits.MAX_ATTRIBUTES)
                .query(Customers::customer)
                .optional()
                .or(() -> {
                    if (find(orgId, customerId).isPresent()) {
                        // merged into the customer's own, the attributes would pass the limit: nothing was changed
                        throw com.replyhero.whatsapp.web.ApiException.invalid(
                                "attributes",
                                "the customer would have more than " + Traits.MAX_ATTRIBUTES
                                        + " attributes; remove some (an attribute given as null is removed)");
                    }
                    return Optional.empty();
                });
    }

    /** A customer of a CSV import, checked. */
    public record Imported(String phone, String name, List<String> tags, Map<String, String> attributes) {}

    /**
     * How many of a batch of imported rows made new customers, how many changed existing ones, and the numbers whose
     * row was left out: the customer would have had more than {@value Traits#MAX_TAGS} tags or
     * {@value Traits#MAX_ATTRIBUTES} attributes with it.
     */
    public record ImportResult(int created, int updated, List<String> overLimit) {}

    /**
     * Creates or updates the imported customers in one statement: by phone, a new one is created; an existing one
     * takes the row's name (when it has one), gains its tags and takes its attributes (others kept), unless that
     * would take it over the limits of tags or attributes (a customer over them already, from before the limits,
     * may keep what it has but not grow). Importing the same file again changes nothing.
     */
    public ImportResult upsert(String orgId, List<Imported> rows) {
        if (rows.isEmpty()) {
            return new ImportResult(0, 0, List.of());
        }
        // a phone twice in one batch is one row (ON CONFLICT cannot touch a row twice in a statement), merged as
        // the second would be merged into the first: its name when it has one, both's tags, its attributes over
        Map<String, Imported> byPhone = new LinkedHashMap<>();
        rows.forEach(r -> byPhone.merge(r.phone(), r, (first, second) -> {
            java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>(first.tags());
            tags.addAll(second.tags());
            Map<String, String> attributes = new LinkedHashMap<>(first.attributes());
            attributes.putAll(second.attributes());
            return new Imported(
                    r.phone(), second.name() != null ? second.name() : first.name(), new ArrayList<>(tags), attributes);
        }));
        List<Imported> distinct = new ArrayList<>(byPhone.values());
        Map<String, Boolean> stored = new LinkedHashMap<>();
        db.sql("""
                        INSERT INTO customers AS c (org_id, id, phone, name, tags, attributes)
                        SELECT :orgId, r.id, r.phone, r.name,
                               ARRAY(SELECT jsonb_array_elements_text(r.tags::jsonb)), r.attributes::jsonb
                          FROM unnest(:ids::text[], :phones::text[], :names::text[], :tags::text[], :attributes::text[])
                               AS r (id, phone, name, tags, attributes)
                        ON CONFLICT (org_id, phone) DO UPDATE
                           SET name = coalesce(excluded.name, c.name),
                               tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || excluded.tags) AS t ORDER BY t),
                               attributes = c.attributes || excluded.attributes
                         WHERE (SELECT count(DISTINCT t) FROM unnest(c.tags || excluded.tags) AS t)
                               <= greatest(:maxTags, cardinality(c.tags))
                           AND (SELECT count(*) FROM jsonb_object_keys(c.attributes || excluded.attributes))
                               <= greatest(:maxAttributes, (SELECT count(*) FROM jsonb_object_keys(c.attributes)))
                        RETURNING phone, (xmax = 0) AS created
                        """)
                .param("orgId", orgId)
                .param("ids", distinct.stream().map(r -> Ids.next()).toArray(String[]::new))
                .param("phones", distinct.stream().map(Imported::phone).toArray(String[]::new))
                .param("names", distinct.stream().map(Imported::name).toArray(String[]::new))
                .param(
                        "tags",
                        distinct.stream()
                                .map(r -> JSON.writeValueAsString(r.tags()))
                                .toArray(String[]::new))
                .param(
                        "attributes",
                        distinct.stream()
                                .map(r -> JSON.writeValueAsString(r.attributes()))
                                .toArray(String[]::new))
                .param("maxTags", Traits.MAX_TAGS)
                .param("maxAttributes", Traits.MAX_ATTRIBUTES)
                .query((rs, row) -> {
                    stored.put(rs.getString("phone"), rs.getBoolean("created"));
                    return null;
                })
                .list();
        int made = (int) stored.values().stream().filter(Boolean::booleanValue).count();
        List<String> overLimit = distinct.stream()
                .map(Imported::phone)
                .filter(phone -> !stored.containsKey(phone))
                .toList();
        return new ImportResult(made, stored.size() - made, overLimit);
    }

    /** What a template's parameters may take of these customers: their name, phone and attributes, by id. */
    public Map<String, Customer> byIds(String orgId, Collection<String> customerIds) {
        return db
                .sql("SELECT *, " + WINDOW_OPEN + " FROM customers WHERE org_id = :orgId AND id = ANY (:ids)")
                .param("orgId", orgId)
                .param("ids", customerIds.toArray(String[]::new))
                .query(Customers::customer)
                .list()
                .stream()
                .collect(Collectors.toMap(Customer::id, c -> c));
    }

    public Optional<Customer> find(String orgId, String customerId) {
        return db.sql("SELECT *, " + WINDOW_OPEN + " FROM customers WHERE org_id = :orgId AND id = :id")
                .param("orgId", orgId)
                .param("id", customerId)
                .query(Customers::customer)
                .optional();
    }

    public Optional<Customer> findByPhone(String orgId, String phone) {
        return db.sql("SELECT *, " + WINDOW_OPEN + " FROM customers WHERE org_id = :orgId AND phone = :phone")
                .param("orgId", orgId)
                .param("phone", phone)
                .query(Customers::customer)
                .optional();
    }

    /**
     * The ids of the org's customers (at most {@code limit}) whose phone contains {@code digits} (when given) or
     * whose name contains {@code text}, case-insensitively: the inbox's search.
     */
    public List<String> search(String orgId, String text, int limit) {
        String digits = text.replaceAll("[^0-9]", "");
        String pattern =
                "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.sql("""
                        SELECT id FROM customers
                         WHERE org_id = :orgId
                           AND ((:digits <> '' AND phone LIKE '%' || :digits || '%') OR name ILIKE :pattern)
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("digits", digits)
                .param("pattern", pattern)
                .param("limit", limit)
                .query(String.class)
                .list();
    }

    /**
     * A page of customers in creation order after {@code cursor}, optionally those whose phone starts with a prefix
     * and those with a tag.
     */
    public List<Customer> list(String orgId, String phonePrefix, String tag, String cursor, int limit) {
        return db.sql("SELECT *, " + WINDOW_OPEN + """
                          FROM customers
                         WHERE org_id = :orgId
                           AND (:cursor::text IS NULL OR id > :cursor)
                           AND (:prefix::text IS NULL OR phone LIKE :prefix || '%')
                           AND (:tag::text IS NULL OR tags @> ARRAY[:tag::text])
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("orgId", orgId)
                .param("cursor", cursor)
                .param("prefix", phonePrefix)
                .param("tag", tag)
                .param("limit", limit)
                .query(Customers::customer)
                .list();
    }

    /** How many of these ids are the org's customers (to refuse others' ids). */
    public int count(String orgId, Collection<String> customerIds) {
        return db.sql("SELECT count(*) FROM customers WHERE org_id = :orgId AND id = ANY (:ids)")
                .param("orgId", orgId)
                .param("ids", customerIds.toArray(String[]::new))
                .query(Integer.class)
                .single();
    }

    /**
     * Who a campaign goes to: the org's customers who have not opted out, only those of {@code customerIds} when
     * given, with any of {@code tags} when given, and with every attribute of {@code attributes} equal when given.
     */
    public record Audience(List<String> customerIds, List<String> tags, Map<String, String> attributes) {

        public static final Audience EVERYONE = new Audience(null, null, null);
    }

    private static final String IN_AUDIENCE = """
            org_id = :orgId AND NOT opted_out
            AND (:allIds OR id = ANY (:onlyIds))
            AND (:allTags OR tags && :tags::text[])
            AND attributes @> :attributes::jsonb
            """;

    private static JdbcClient.StatementSpec audience(JdbcClient.StatementSpec spec, Audience audience) {
        return spec.param("allIds", audience.customerIds() == null)
                .param(
                        "onlyIds",
                        audience.customerIds() == null
                                ? new String[0]
                                : audience.customerIds().toArray(String[]::new))
                .param("allTags", audience.tags() == null)
                .param(
                        "tags",
                        audience.tags() == null
                                ? new String[0]
                                : audience.tags().toArray(String[]::new))
                .param(
                        "attributes",
                        JSON.writeValueAsString(audience.attributes() == null ? Map.of() : audience.attributes()));
    }

    /** Whether at most {@code limit} of the org's customers can be reached (have not opted out). */
    public boolean reachableAtMost(String orgId, int limit) {
        return reachableAtMost(orgId, Audience.EVERYONE, limit);
    }

    /** Whether at most {@code limit} of the audience can be reached. */
    public boolean reachableAtMost(String orgId, Audience audience, int limit) {
        return audience(
                        db.sql("SELECT count(*) <= :limit FROM (SELECT 1 FROM customers WHERE " + IN_AUDIENCE
                                        + " LIMIT :limit + 1) audience")
                                .param("orgId", orgId)
                                .param("limit", limit),
                        audience)
                .query(Boolean.class)
                .single();
    }

    /**
     * A page of the ids of the org's customers who can be reached (have not opted out), only those of
     * {@code onlyIds} when given, in id order after {@code afterId}.
     */
    public List<String> reachable(String orgId, List<String> onlyIds, String afterId, int limit) {
        return reachable(orgId, new Audience(onlyIds, null, null), afterId, limit);
    }

    /** A page of the ids of the audience, in id order after {@code afterId}. */
    public List<String> reachable(String orgId, Audience audience, String afterId, int limit) {
        return audience(
                        db.sql("SELECT id FROM customers WHERE " + IN_AUDIENCE + """
                                   AND (:afterId::text IS NULL OR id > :afterId)
                                 ORDER BY id
                                 LIMIT :limit
                                """)
                                .param("orgId", orgId)
                                .param("afterId", afterId)
                                .param("limit", limit),
                        audience)
                .query(String.class)
                .list();
    }

    /** The numbers of these customers of the org, by customer id (an id the org does not have is left out). */
    public Map<String, String> phones(String orgId, Collection<String> customerIds) {
        return db
                .sql("SELECT id, phone FROM customers WHERE org_id = :orgId AND id = ANY (:ids)")
                .param("orgId", orgId)
                .param("ids", customerIds.stream().distinct().toArray(String[]::new))
                .query((rs, row) -> Map.entry(rs.getString("id"), rs.getString("phone")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * A condition on the customer {@code customerColumn} of the org {@code orgColumn}, for a statement of another
     * feature: they have not opted out (a campaign sends them nothing then).
     */
    public static String notOptedOut(String orgColumn, String customerColumn) {
        return "NOT EXISTS (SELECT 1 FROM customers opted WHERE opted.org_id = " + orgColumn + " AND opted.id = "
                + customerColumn + " AND opted.opted_out)";
    }

    /** A customer's number, and whether they opted out (a campaign sends them nothing then). */
    public record Reach(String phone, boolean optedOut) {}

    /** The numbers of these customers of the org and whether each opted out, by customer id. */
    public Map<String, Reach> reach(String orgId, Collection<String> customerIds) {
        return db
                .sql("SELECT id, phone, opted_out FROM customers WHERE org_id = :orgId AND id = ANY (:ids)")
                .param("orgId", orgId)
                .param("ids", customerIds.stream().distinct().toArray(String[]::new))
                .query((rs, row) ->
                        Map.entry(rs.getString("id"), new Reach(rs.getString("phone"), rs.getBoolean("opted_out"))))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * A customer wrote in to the org's channel {@code channelId}: create them if unknown, keep the name Meta gave,
     * and open the window on that number (a late webhook never moves a window back). One statement.
     */
    public Customer recordInbound(String orgId, String channelId, String phone, String name, Instant at) {
        return db.sql("""
                        WITH customer AS (
                            INSERT INTO customers (org_id, id, phone, name, last_inbound_at)
                            VALUES (:orgId, :id, :phone, :name, :at)
                            ON CONFLICT (org_id, phone) DO UPDATE
                               SET last_inbound_at = greatest(customers.last_inbound_at, excluded.last_inbound_at),
                                   name = coalesce(customers.name, excluded.name)
                            RETURNING *
                        ), window_opened AS (
                            INSERT INTO customer_windows AS w (org_id, customer_id, channel_id, last_inbound_at)
                            SELECT org_id, id, :channelId, :at FROM customer
                            ON CONFLICT (org_id, customer_id, channel_id) DO UPDATE
                               SET last_inbound_at = greatest(w.last_inbound_at, excluded.last_inbound_at)
                        )
                        SELECT *, """ + windowColumns("customer") + """
                         FROM customer
                        """)
                .param("orgId", orgId)
                .param("id", Ids.next())
                .param("channelId", channelId)
                .param("phone", phone)
                .param("name", name)
                .param("at", Timestamp.from(at))
                .query(Customers::customer)
                .single();
    }

    static Customer customer(ResultSet rs, int row) throws SQLException {
        Timestamp lastInbound = rs.getTimestamp("last_inbound_at");
        Timestamp windowClosesAt = rs.getTimestamp("window_closes_at");
        return new Customer(
                rs.getString("org_id"),
                rs.getString("id"),
                rs.getString("phone"),
                rs.getString("name"),
                lastInbound == null ? null : lastInbound.toInstant(),
                rs.getBoolean("opted_out"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("window_open"),
                windowClosesAt == null ? null : windowClosesAt.toInstant(),
                List.of((String[]) rs.getArray("tags").getArray()),
                JSON.readValue(rs.getString("attributes"), ATTRIBUTES));
    }
}
