package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.support.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario g: the retry queue under a flaky, then slow upstream. The sandbox answers 10 % of sends 503 with Meta's
 * error body (provably not sent: the gateway answers 202 and retries them from its queue) and drops 5 % of its
 * answers after accepting the message (the gateway cannot know: 504 {@code outcome_unknown}, or {@code unknown}
 * in the queue); every send takes 200 ms. Single sends at 16 connections with Idempotency-Key retries (full:
 * 1,200; short: 300); the gateway is killed ({@code kill -9}) twice while its retry queue drains (a retry under
 * way, others waiting) and restarted on the same data each time. Then, with a second node on the same database
 * whose queue sender is idle (its sweeper settles the first node's expired leases), a slow upstream: messages queued (full: 200, short: 50; every send answered 503
 * after 1 s, so that most of them are due at once), then every answer takes 20 s (the gateway's calls time out after 3 s) for 60 s (short: 25 s),
 * with the deadline of an unknown outcome at 2 s (the 15 minutes, scaled down with the 20 s answers), then the
 * upstream recovers. Every send answered 200 or 202 reaches the upstream exactly once, whatever the gateway reports about
 * it; one answered 504 at most once; no message reaches it after the gateway reported it {@code failed} (the
 * sandbox's receive time against the first {@code message.status} event saying {@code failed}).
 */
class RetryQueueFaultsIT extends Scenario {

    @Test
    void theRetryQueueSendsEveryAcceptedMessageOnceAndNothingAfterReportingItFailed() throws Exception {
        int sends = size(300, 1_200);
        int queued = size(50, 200);
        int slowSeconds = size(25, 60);
        int port = FaultRig.freePort();
        rig = FaultRig.start("g-retry-queue", port);
        rig.gatewayArgs.add("--rh.outbox.unknown-deadline=2s");
        FaultRig.Node node = rig.gateway("gateway", port);
        FaultRig.Org org = rig.anOrg(node, 1000);
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            Api.Response webhook = node.api().put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.keyHeader());
            assertThat(webhook.status()).as(webhook.text()).isEqualTo(200);
            List<String> customers = rig.customersWhoWroteIn(node, org, 20);
            Api api = node.api();

            // 1. 10 % 503, 5 % answers dropped; two kill -9 while the retry queue drains
            Map<String, Object> flakyUpstream =
                    Map.of("latencyMs", 200, "errors", Map.of("503", 0.10), "dropAnswer", 0.05);
            faults(flakyUpstream);
            SendLoad load = new SendLoad(() -> api, org, customers, Duration.ofSeconds(90))
                    .upTo(sends)
                    .start(16);
            List<String> kills = new ArrayList<>();
            for (long threshold : new long[] {size(8, 20), size(4, 10)}) {
                // the queue drains faster than 10 % of 503s fill it: an outage (every send 503) first builds a
                // backlog, then the flaky upstream is back and the kill comes while the sender retries them
                faults(Map.of("latencyMs", 200, "errors", Map.of("503", 1.0)));
                awaitOrNote(
                        () -> retryQueue(org) >= threshold,
                        Duration.ofSeconds(60),
                        threshold + " in the retry queue during an outage");
                faults(flakyUpstream);
                awaitOrNote(() -> retrying(org) > 0, Duration.ofSeconds(60), "a retry under way");
                // the kill lands while the round's calls are under way: most at the upstream (200 ms each), some
                // between their durable sending mark and their request leaving; Meta's status settles the first,
                // and the others, with no status by the end of their wait, are sent again (docs/api.md, "What a
                // send does" (4))
                Thread.sleep(150);
                kills.add(retryQueue(org) + " in the queue, " + load.attempted + " sends made");
                rig.kill(node);
                node = rig.gateway("gateway", port);
            }
            if (!load.awaitDone(Duration.ofSeconds(120))) {
                problems.add("the " + sends + " sends were not all answered within 120 s");
                load.stop();
            }
            awaitOrNote(() -> retryQueue(org) == 0, Duration.ofSeconds(60), "the retry queue drained");
            JsonNode flaky = rig.sandbox.get("/sandbox/ledger").json();

            // 2. a second node on the database whose queue sender is idle (it polls hourly): its sweeper settles
            // the first node's expired leases while that node's sender is busy (on one node the two take turns on
            // one scheduler thread, so a node never sweeps behind its own sender); messages queued (every answer
            // 503 after 1 s: the queue's sender retries few of them), then 20 s answers, then recovery
            rig.gateway("node-b", FaultRig.freePort(), "--rh.outbox.poll-interval=1h");
            faults(Map.of("latencyMs", 1_000, "errors", Map.of("503", 1.0)));
            SendLoad waiting = new SendLoad(() -> api, org, customers, Duration.ofSeconds(30))
                    .upTo(queued)
                    .start(16);
            if (!waiting.awaitDone(Duration.ofSeconds(60))) {
                problems.add("the " + queued + " sends to queue were not all answered within 60 s");
                waiting.stop();
            }
            faults(Map.of("latencyMs", 20_000));
            Thread.sleep(Duration.ofSeconds(slowSeconds));
            assertThat(rig.sandbox.delete("/sandbox/faults").status()).isEqualTo(200);
            Thread.sleep(20_000); // the sends the sandbox holds for 20 s reach its ledger (and their statuses follow)
            settle(Duration.ofSeconds(90), org);

            Map<String, Long> ledger = rig.ledger();
            Map<String, Accounting.Stored> stored = rig.stored(org);
            Map<String, Instant> failedAt = rig.reportedFailedAt(org);
            Map<String, List<Instant>> receivedAt = rig.receivedAt(org);
            List<String> sentAfterFailed = failedAt.entrySet().stream()
                    .filter(f -> receivedAt.getOrDefault(f.getKey(), List.of()).stream()
                            .anyMatch(r -> r.isAfter(f.getValue())))
                    .map(Map.Entry::getKey)
                    .toList();
            JsonNode counters = rig.sandbox.get("/sandbox/ledger").json();
            printSuspects(load, waiting, stored, ledger, failedAt, receivedAt);
            Accounting flakyAccounting = Accounting.ofSends(
                            "g. retry queue: 10 % 503, 5 % answers dropped, kill -9 x2, " + sends
                                    + " single sends at 16 connections",
                            load,
                            rig.tried(),
                            stored,
                            ledger,
                            seconds(),
                            "sent after reported failed " + count(sentAfterFailed, load) + "; answers " + load.answers
                                    + ", no answer (retried) " + load.noAnswer + "; killed with " + kills
                                    + "; sandbox: " + flaky.get("errorsAnswered") + " error answers, "
                                    + flaky.get("answersDropped") + " answers dropped")
                    .withNotes(this::notes)
                    .report();
            Accounting slowAccounting = Accounting.ofSends(
                            "g. (same run) " + queued + " queued, then 20 s answers for " + slowSeconds + " s",
                            waiting,
                            rig.tried(),
                            stored,
                            ledger,
                            seconds(),
                            "sent after reported failed " + count(sentAfterFailed, waiting) + "; answers "
                                    + waiting.answers + "; sandbox: "
                                    + (counters.get("accepted").asLong()
                                            - flaky.get("accepted").asLong()) + " accepted")
                    .withNotes(this::notes)
                    .report();
            assertPasses(flakyAccounting);
            assertPasses(slowAccounting);
            assertThat(sentAfterFailed)
                    .as("sent after the gateway reported them failed")
                    .isEmpty();
            assertThat(load.answeredOkIds).isNotEmpty();
            // the set-up queues them: each is answered 503 after 1 s, within the gateway's 3 s timeout on a quiet
            // machine; on a loaded one a few answers come later than that, and those sends are answered 504 (held
            // to at most once above, like every 504). The phase needs most of them queued, not all.
            assertThat(waiting.answers
                            .getOrDefault(202, new java.util.concurrent.atomic.AtomicLong())
                            .get())
                    .as("queued: " + waiting.answers)
                    .isGreaterThanOrEqualTo(queued * 9L / 10);
        }
    }

    /** For the log: the sends answered 200 or 202 that never reached the sandbox, and those sent after failed. */
    private static void printSuspects(
            SendLoad load,
            SendLoad waiting,
            Map<String, Accounting.Stored> stored,
            Map<String, Long> ledger,
            Map<String, Instant> failedAt,
            Map<String, List<Instant>> receivedAt) {
        java.util.Set<String> suspects = new java.util.TreeSet<>();
        java.util.stream.Stream.concat(load.answeredOkIds.stream(), waiting.answeredOkIds.stream())
                .filter(id -> ledger.getOrDefault(id, 0L) == 0)
                .forEach(suspects::add);
        failedAt.forEach((id, at) -> {
            if (receivedAt.getOrDefault(id, List.of()).stream().anyMatch(r -> r.isAfter(at))) {
                suspects.add(id);
            }
        });
        // the at-most-once window: from the durable sending mark (the database's clock) to the request's arrival
        // at the sandbox (its connector's clock, the same host), for every accepted send whose last attempt arrived
        long[] gaps = stored.entrySet().stream()
                .filter(e -> e.getValue().attemptedAt() != null
                        && receivedAt.getOrDefault(e.getKey(), List.of()).size() == 1)
                .mapToLong(e -> java.time.Duration.between(
                                e.getValue().attemptedAt(),
                                receivedAt.get(e.getKey()).get(0))
                        .toMillis())
                .sorted()
                .toArray();
        if (gaps.length > 0) {
            System.out.println("g mark to arrival at the sandbox (ms, " + gaps.length + " sends): p50 "
                    + gaps[gaps.length / 2] + ", p90 " + gaps[gaps.length * 9 / 10] + ", p99 "
                    + gaps[gaps.length * 99 / 100] + ", max " + gaps[gaps.length - 1]);
        }
        suspects.stream()
                .limit(30)
                .forEach(id -> System.out.println("g suspect " + id + ": " + stored.get(id) + ", reported failed at "
                        + failedAt.get(id) + ", received by the sandbox at " + receivedAt.get(id)));
    }

    private void faults(Map<String, Object> settings) {
        Api.Response set = rig.sandbox.put("/sandbox/faults", settings);
        assertThat(set.status()).as(set.text()).isEqualTo(200);
    }

    private long retryQueue(FaultRig.Org org) {
        try {
            return rig.retryQueue(org);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private long retrying(FaultRig.Org org) {
        try {
            return rig.retrying(org);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    private static long count(List<String> ids, SendLoad load) {
        return ids.stream().filter(load.acceptedIds::contains).count();
    }
}
