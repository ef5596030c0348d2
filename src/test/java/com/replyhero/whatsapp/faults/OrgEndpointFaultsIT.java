package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.replyhero.whatsapp.support.Api;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Scenario e (fault suite only): the org's event endpoint is down (connection refused) for 10 s, then answers
 * 500 for 10 s, during which the gateway is killed with {@code kill -9} and restarted, then answers 200: every
 * event the gateway stored reaches the endpoint with a 200, each under its one {@code webhook-id}. Then the
 * endpoint answers 410 Gone: the gateway disables it and sends it nothing more (its events wait, queued).
 */
class OrgEndpointFaultsIT extends Scenario {

    @Test
    void everyEventArrivesAcrossAnOutageA500AndAKillAndA410DisablesTheEndpoint() throws Exception {
        assumeTrue(SUITE, "fault suite only: bash faults/run.sh");
        int port = FaultRig.freePort();
        rig = FaultRig.start("e-org-endpoint", port);
        FaultRig.Node node = rig.gateway("gateway", port);
        FaultRig.Org org = rig.anOrg(node, 1000);
        List<String> customers = rig.customersWhoWroteIn(node, org, 10);
        Endpoint endpoint = new Endpoint(FaultRig.freePort());
        Api.Response webhook = node.api().put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.keyHeader());
        assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);

        SendLoad load = new SendLoad(node::api, org, customers, Duration.ofSeconds(60)).start(4);
        Thread.sleep(10_000); // down
        endpoint.up(500);
        Thread.sleep(5_000);
        rig.kill(node);
        node = rig.gateway("gateway", port);
        Thread.sleep(5_000);
        endpoint.answer(200);
        load.stop();
        settle(Duration.ofSeconds(30), org);
        awaitOrNote(() -> undelivered(org) == 0, Duration.ofSeconds(60), "every event delivered");

        Set<String> stored = eventIds(org);
        Set<String> missing = new HashSet<>(stored);
        missing.removeAll(endpoint.answered200.keySet());
        long redelivered =
                endpoint.answered200.values().stream().filter(n -> n.get() > 1).count();

        endpoint.answer(410);
        FaultRig.Node last = node;
        String customer = customers.getFirst();
        last.api()
                .post(
                        "/whatsapp/messages/send",
                        Map.of(
                                "message", Map.of("type", "text", "text", Map.of("body", "gone?")),
                                "sessionId", "faults",
                                "customerId", customer,
                                "userId", org.userId(),
                                "orgId", org.orgId()),
                        org.keyHeader());
        FaultRig.await(
                () -> last.api()
                        .get("/whatsapp/webhook", org.keyHeader())
                        .json()
                        .hasNonNull("disabledAt"),
                Duration.ofSeconds(30),
                "the endpoint disabled after 410");
        int attemptsAt410 = endpoint.refusedAttempts.get();
        last.api()
                .post(
                        "/whatsapp/messages/send",
                        Map.of(
                                "message", Map.of("type", "text", "text", Map.of("body", "still gone?")),
                                "sessionId", "faults",
                                "customerId", customer,
                                "userId", org.userId(),
                                "orgId", org.orgId()),
                        org.keyHeader());
        Thread.sleep(3_000);
        long sentAfter410 = endpoint.refusedAttempts.get() - attemptsAt410;
        long waiting = pendingEvents(org);

        Accounting accounting = Accounting.ofSends(
                        "e. org endpoint down, 500, kill -9, back; then 410",
                        load,
                        rig.tried(),
                        rig.stored(org),
                        rig.ledger(),
                        seconds(),
                        "events stored " + stored.size() + ", delivered with 200 " + (stored.size() - missing.size())
                                + ", lost " + missing.size() + ", delivered more than once (same webhook-id) "
                                + redelivered + ", refused attempts " + endpoint.refusedAttempts + "; after 410: "
                                + "disabled, " + sentAfter410 + " requests to it since, " + waiting + " events waiting")
                .withNotes(this::notes)
                .report();
        endpoint.stop();
        assertPasses(accounting);
        assertThat(stored).isNotEmpty();
        assertThat(missing).isEmpty();
        assertThat(sentAfter410).isZero();
        assertThat(waiting).isPositive();
    }

    private long undelivered(FaultRig.Org org) {
        return count(org, "SELECT count(*) FROM org_events WHERE org_id = ? AND status <> 'delivered'");
    }

    private long pendingEvents(FaultRig.Org org) {
        return count(org, "SELECT count(*) FROM org_events WHERE org_id = ? AND status = 'pending'");
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

    private Set<String> eventIds(FaultRig.Org org) throws java.sql.SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = rig.connection();
                PreparedStatement s = c.prepareStatement("SELECT id FROM org_events WHERE org_id = ?")) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** The org's backend on a fixed port: down until {@link #up}, then answering as told. */
    static final class Endpoint {
        final int port;
        final Map<String, AtomicInteger> answered200 = new ConcurrentHashMap<>();
        final AtomicInteger refusedAttempts = new AtomicInteger();
        private volatile int status;
        private HttpServer server;

        Endpoint(int port) {
            this.port = port;
        }

        String url() {
            return "http://127.0.0.1:" + port + "/events";
        }

        void up(int answer) throws java.io.IOException {
            status = answer;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                int now = status;
                if (now == 200) {
                    answered200
                            .computeIfAbsent(
                                    exchange.getRequestHeaders().getFirst("webhook-id"), k -> new AtomicInteger())
                            .incrementAndGet();
                } else {
                    refusedAttempts.incrementAndGet();
                }
                exchange.sendResponseHeaders(now, -1);
                exchange.close();
            });
            server.start();
        }

        void answer(int answer) {
            status = answer;
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
