package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.support.Api;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario d: Meta's webhooks duplicated (half of them), reordered (half of the messages get read, delivered,
 * sent) and late (a third of the messages, by 60 s in the full version and 10 s in the short one: "minutes"
 * scaled to the scenario's 2-minute bound), and customers' messages duplicated. Each status is stored and
 * reported to the org once, a message's status never moves backwards, every inbound message is stored once.
 */
class WebhookChaosFaultsIT extends Scenario {

    private static final List<String> ORDER = List.of("accepted", "sent", "delivered", "read");

    @Test
    void duplicatedReorderedAndLateStatusesAreStoredOnceAndNeverMoveBackwards() throws Exception {
        int sends = size(300, 1_500);
        long lateMs = size(10_000, 60_000);
        int port = FaultRig.freePort();
        rig = FaultRig.start("d-webhooks", port);
        FaultRig.Node node = rig.gateway("gateway", port);
        FaultRig.Org org = rig.anOrg(node, 1000);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            Api.Response webhook = node.api().put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.keyHeader());
            assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
            Api.Response faults = rig.sandbox.put(
                    "/sandbox/faults",
                    Map.of(
                            "statuses",
                            Map.of("duplicate", 0.5, "reorder", 0.5, "late", 0.33, "lateMs", lateMs, "delayMs", 0)));
            assertThat(faults.status()).as(faults.text()).isEqualTo(200);
            List<String> customers = rig.customersWhoWroteIn(node, org, 20);

            SendLoad load = new SendLoad(node::api, org, customers, Duration.ofSeconds(30)).start(8);
            awaitProgress(
                    () -> load.acceptedIds.size() >= sends,
                    () -> load.acceptedIds.size(),
                    Duration.ofMinutes(3),
                    sends + " sends");
            load.stop();
            awaitOrNote(
                    () -> everyMessageRead(org) && eventsDelivered(org),
                    Duration.ofMillis(lateMs + 40_000),
                    "every message read, every event delivered");

            Map<String, List<String>> statusEvents = statusEventsInOrder(org);
            long storedTwice = statusEvents.values().stream()
                    .filter(s -> s.size() != s.stream().distinct().count())
                    .count();
            long backwards =
                    statusEvents.values().stream().filter(s -> !isForward(s)).count();
            Map<String, List<String>> received = receivedInOrder(endpoint);
            long receivedBackwards =
                    received.values().stream().filter(s -> !isForward(s)).count();
            long inboundTwice = inboundStoredTwice(org);
            Accounting accounting = Accounting.ofSends(
                            "d. webhooks duplicated, reordered, late by " + lateMs / 1000 + " s",
                            load,
                            rig.tried(),
                            rig.stored(org),
                            rig.ledger(),
                            seconds(),
                            "status events: "
                                    + statusEvents.values().stream()
                                            .mapToInt(List::size)
                                            .sum()
                                    + ", stored twice " + storedTwice + ", moved backwards " + backwards
                                    + " (as received by the org: " + receivedBackwards + "); inbound stored twice "
                                    + inboundTwice)
                    .withNotes(this::notes)
                    .report();
            assertPasses(accounting);
            assertThat(storedTwice).isZero();
            assertThat(backwards).isZero();
            assertThat(receivedBackwards).isZero();
            assertThat(inboundTwice).isZero();
        }
    }

    private static boolean isForward(List<String> statuses) {
        for (int i = 1; i < statuses.size(); i++) {
            if (ORDER.indexOf(statuses.get(i)) <= ORDER.indexOf(statuses.get(i - 1))) {
                return false;
            }
        }
        return true;
    }

    private boolean everyMessageRead(FaultRig.Org org) {
        return count(
                        org,
                        "SELECT count(*) FROM messages WHERE org_id = ? AND message_type <> 'user'"
                                + " AND status <> 'read'")
                == 0;
    }

    private boolean eventsDelivered(FaultRig.Org org) {
        return count(org, "SELECT count(*) FROM org_events WHERE org_id = ? AND status <> 'delivered'") == 0;
    }

    private long inboundStoredTwice(FaultRig.Org org) {
        return count(
                org,
                "SELECT count(*) FROM (SELECT wamid FROM messages WHERE org_id = ? AND message_type = 'user'"
                        + " GROUP BY wamid HAVING count(*) > 1) twice");
    }

    private long count(FaultRig.Org org, String sql) {
        try (Connection c = rig.connection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message.status events the gateway stored for each message, in the order it stored them. */
    private Map<String, List<String>> statusEventsInOrder(FaultRig.Org org) throws Exception {
        Map<String, List<String>> events = new HashMap<>();
        try (Connection c = rig.connection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT payload -> 'data' ->> 'id' AS message, payload -> 'data' ->> 'status' AS status
                          FROM org_events
                         WHERE org_id = ? AND type = 'message.status'
                         ORDER BY seq
                        """)) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    events.computeIfAbsent(rs.getString("message"), k -> new ArrayList<>())
                            .add(rs.getString("status"));
                }
            }
        }
        return events;
    }

    /** The statuses the org's endpoint received per message, first delivery of each webhook-id only. */
    private static Map<String, List<String>> receivedInOrder(OrgEndpoint endpoint) {
        Map<String, List<String>> received = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (OrgEndpoint.Received r : endpoint.all()) {
            if (r.type().equals("message.status") && seen.add(r.header("webhook-id"))) {
                received.computeIfAbsent(r.json().get("data").get("id").asString(), k -> new ArrayList<>())
                        .add(r.json().get("data").get("status").asString());
            }
        }
        return received;
    }
}
