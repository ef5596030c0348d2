package com.replyhero.whatsapp.messages;

import com.replyhero.whatsapp.messages.store.MessageRows;
import com.replyhero.whatsapp.messages.store.PendingStatuses;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Meta's statuses (sent, delivered, read, failed) applied to the messages they speak of. */
@Repository
public class Statuses {

    /**
     * A status from Meta's webhook: for the message with {@code wamid}, or whose id Meta echoed in
     * {@code biz_opaque_callback_data} ({@code callbackId}) when its wamid is not recorded yet; {@code
     * pricingCategory} the cost category of its {@code pricing} object (marketing, utility, authentication,
     * service, ...), when it has one.
     */
    public record StatusUpdate(
            String wamid,
            String callbackId,
            MessageStatus status,
            Integer upstreamCode,
            String text,
            String pricingCategory) {

        public StatusUpdate(String wamid, String callbackId, MessageStatus status, Integer upstreamCode, String text) {
            this(wamid, callbackId, status, upstreamCode, text, null);
        }

        /** The message it speaks of, as far as the webhook tells: its wamid, else our id. */
        String subject() {
            return wamid != null ? "w:" + wamid : "c:" + callbackId;
        }
    }

    // one round of statuses, at most one per message, in one statement: u.n numbers them in the round. The rows are
    // locked in id order first, so that two webhooks over the same messages (Meta's retries) never deadlock
    private static final String APPLY = """
            WITH u AS (
                SELECT * FROM unnest(:wamids::text[], :callbackIds::text[], :statuses::text[], :errorCodes::text[],
                                     :upstreamCodes::integer[], :texts::text[], :pricingCategories::text[])
                       WITH ORDINALITY AS u(wamid, callback_id, status, error_code, upstream_code, text,
                                            pricing_category, n)
            ), locked AS (
                SELECT m.org_id, m.id, m.wamid AS wamid_before, u.n FROM messages m
                  JOIN u ON m.wamid = u.wamid OR (m.id = u.callback_id AND m.wamid IS NULL)
                 WHERE m.org_id = :orgId
                 ORDER BY m.id
                   FOR UPDATE OF m
            )
            UPDATE messages m
               SET status = u.status, wamid = coalesce(m.wamid, u.wamid),
                   -- statuses can beat the answer of the call: the sending lease stays until the call records its
                   -- outcome (Meta's answer, kept in response), through every status that comes first, so that
                   -- whoever waits for the call knows it is under way
                   lease_until = CASE WHEN m.status NOT IN ('queued', 'unknown', 'failed') AND m.response IS NULL
                                      THEN m.lease_until END,
                   error_code = u.error_code, upstream_code = u.upstream_code, error_message = u.text,
                   -- Meta's sent and delivered statuses carry the pricing; read ones may not
                   pricing_category = coalesce(u.pricing_category, m.pricing_category),
                   updated_at = now()
              FROM locked JOIN u ON u.n = locked.n
             WHERE m.org_id = locked.org_id AND m.id = locked.id
               AND (status_rank(m.status) < status_rank(u.status)
                    OR (m.status = 'failed' AND m.error_code = 'outcome_unknown'))
            RETURNING m.*, u.n AS update_n, (locked.wamid_before IS NULL AND m.wamid IS NOT NULL) AS wamid_recorded
            """;

    private final JdbcClient db;
    private final MessageRows rows;
    private final PendingStatuses pending;
    private final ApplicationEventPublisher events;

    Statuses(JdbcClient db, MessageRows rows, PendingStatuses pending, ApplicationEventPublisher events) {
        this.db = db;
        this.rows = rows;
        this.pending = pending;
        this.events = events;
    }

    /** {@link #applyStatuses} of one status: answers whether a message changed. */
    public boolean applyStatus(
            String orgId, String wamid, String callbackId, MessageStatus status, Integer upstreamCode, String text) {
        return applyStatuses(orgId, List.of(new StatusUpdate(wamid, callbackId, status, upstreamCode, text))) > 0;
    }

    /**
     * Applies statuses from Meta's webhooks, in the order given, each to the message with that wamid, or to the
     * message whose id Meta echoed in {@code biz_opaque_callback_data} when its outcome was unknown. Never moves a
     * status backwards, except that a real status overrides a failure we only presumed ({@code outcome_unknown}). A
     * status for a message we do not know yet (its send has not recorded the wamid: a race) is kept and applied
     * when the wamid is recorded. Publishes {@link MessageStatusChanged} with the changes of each round. One statement per round:
     * the first status of every message, then the second of those that have two, and so on. Answers how many
     * changes there were.
     */
    public int applyStatuses(String orgId, List<StatusUpdate> updates) {
        int changes = 0;
        List<StatusUpdate> unmatched = new ArrayList<>();
        List<Message> wamidRecorded = new ArrayList<>();
        for (List<StatusUpdate> round : rounds(updates)) {
            Set<Integer> applied = new HashSet<>();
            List<Message> changed = db.sql(APPLY)
                    .param("orgId", orgId)
                    .param("wamids", array(round, StatusUpdate::wamid))
                    .param("callbackIds", array(round, StatusUpdate::callbackId))
                    .param("statuses", array(round, u -> u.status().value()))
                    .param("errorCodes", array(round, u -> failed(u) ? "upstream_failed" : null))
                    .param("upstreamCodes", integers(round, u -> failed(u) ? u.upstreamCode() : null))
                    .param("texts", array(round, u -> failed(u) ? u.text() : null))
                    .param("pricingCategories", array(round, StatusUpdate::pricingCategory))
                    .query((rs, row) -> {
                        applied.add(rs.getInt("update_n") - 1);
                        Message message = rows.mapRow(rs, row);
                        if (rs.getBoolean("wamid_recorded")) {
                            wamidRecorded.add(message);
                        }
                        return message;
                    })
                    .list();
            if (!changed.isEmpty()) {
                events.publishEvent(new MessageStatusChanged(changed));
            }
            changes += changed.size();
            for (int i = 0; i < round.size(); i++) {
                if (!applied.contains(i)) {
                    unmatched.add(round.get(i));
                }
            }
        }
        if (!unmatched.isEmpty()) {
            Set<Integer> known = known(orgId, unmatched);
            for (int i = 0; i < unmatched.size(); i++) {
                if (!known.contains(i)) {
                    pending.keep(orgId, unmatched.get(i));
                }
            }
        }
        // a status that echoed our id recorded the wamid of a message whose outcome was unknown: the statuses kept
        // for that wamid earlier (without our id) are its own, whenever they came
        for (Message m : wamidRecorded) {
            List<StatusUpdate> kept = pending.takeFor(orgId, m.wamid(), m.id());
            if (!kept.isEmpty()) {
                changes += applyStatuses(orgId, kept);
            }
        }
        return changes;
    }

    private static boolean failed(StatusUpdate u) {
        return u.status() == MessageStatus.FAILED;
    }

    /** The updates in rounds: round k holds the k-th status of each message, in the order they came. */
    private static List<List<StatusUpdate>> rounds(List<StatusUpdate> updates) {
        List<List<StatusUpdate>> rounds = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (StatusUpdate u : updates) {
            int k = seen.merge(u.subject(), 1, Integer::sum) - 1;
            if (k == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(k).add(u);
        }
        return rounds;
    }

    /** The positions in {@code updates} of those whose message exists (by wamid, or by id). */
    private Set<Integer> known(String orgId, List<StatusUpdate> updates) {
        return new HashSet<>(db.sql("""
                        SELECT u.n - 1 AS i
                          FROM unnest(:wamids::text[], :callbackIds::text[]) WITH ORDINALITY AS u(wamid, callback_id, n)
                         WHERE EXISTS (SELECT 1 FROM messages
                                        WHERE org_id = :orgId AND (wamid = u.wamid OR id = u.callback_id))
                        """)
                .param("orgId", orgId)
                .param("wamids", array(updates, StatusUpdate::wamid))
                .param("callbackIds", array(updates, StatusUpdate::callbackId))
                .query(Integer.class)
                .list());
    }

    private static String[] array(List<StatusUpdate> updates, Function<StatusUpdate, String> field) {
        return updates.stream().map(field).toArray(String[]::new);
    }

    private static Integer[] integers(List<StatusUpdate> updates, Function<StatusUpdate, Integer> field) {
        return updates.stream().map(field).toArray(Integer[]::new);
    }
}
