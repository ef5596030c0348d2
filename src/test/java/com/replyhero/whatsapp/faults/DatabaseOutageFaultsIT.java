package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.replyhero.whatsapp.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scenario c (fault suite only): PostgreSQL (a server the scenario controls, outside the gateway) stopped for
 * 15 s under load, then started again on the same data. Meanwhile the API answers 503 {@code
 * database_unavailable} with Retry-After, never 500; nothing is half-stored; the gateway recovers without a
 * restart and the broadcast resumes and completes.
 */
class DatabaseOutageFaultsIT extends Scenario {

    private EmbeddedPostgres postgres;

    @AfterEach
    void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aDatabaseOutageAnswers503AndTheGatewayRecoversWithoutARestart() throws Exception {
        assumeTrue(SUITE, "fault suite only: bash faults/run.sh");
        int pgPort = FaultRig.freePort();
        Path data = Files.createTempDirectory("rh-faults-c-pgdata");
        postgres = database(pgPort, data);
        int port = FaultRig.freePort();
        rig = FaultRig.start("c-database-outage", null, postgres.getJdbcUrl("postgres", "postgres"), "postgres", port);
        FaultRig.Node node = rig.gateway("gateway", port, "--spring.datasource.hikari.connection-timeout=2000");
        FaultRig.Org broadcaster = rig.anOrg(node, 100);
        rig.insertCustomers(broadcaster, 60_600_000_000L, 3_000);
        FaultRig.Org sender = rig.anOrg(node, 1000);
        List<String> customers = rig.customersWhoWroteIn(node, sender, 10);
        String broadcast = rig.broadcast(node, broadcaster);
        SendLoad load = new SendLoad(node::api, sender, customers, Duration.ofSeconds(45)).start(8);
        Thread.sleep(5_000);

        Map<Integer, AtomicLong> duringOutage = new ConcurrentHashMap<>();
        AtomicLong withoutRetryAfter = new AtomicLong();
        postgres.close();
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < until) {
            try {
                Api.Response answer = node.api().get(broadcast, broadcaster.keyHeader());
                duringOutage
                        .computeIfAbsent(answer.status(), s -> new AtomicLong())
                        .incrementAndGet();
                if (answer.status() == 503 && answer.header("Retry-After") == null) {
                    withoutRetryAfter.incrementAndGet();
                }
            } catch (RuntimeException e) {
                duringOutage.computeIfAbsent(0, s -> new AtomicLong()).incrementAndGet();
            }
            Thread.sleep(200);
        }
        postgres = database(pgPort, data); // the same data, the same port
        String completed = awaitBroadcast(node::api, broadcast, broadcaster, 3_000, 100);
        load.stop();
        settle(Duration.ofSeconds(60), broadcaster, sender);

        Map<String, Long> ledger = rig.ledger();
        Map<String, Accounting.Stored> stored = rig.stored(broadcaster, sender);
        Accounting accounting = Accounting.of(
                        "c. PostgreSQL stopped 15 s under load",
                        3_000 + load.attempted.get(),
                        concat(rig.stored(broadcaster).keySet(), load.acceptedIds),
                        load.answeredOkIds,
                        rig.tried(),
                        stored,
                        ledger,
                        seconds(),
                        "answers while down " + duringOutage + " (503 without Retry-After: " + withoutRetryAfter
                                + "); single sends' answers " + load.answers + "; " + completed)
                .withNotes(this::notes)
                .report();
        assertPasses(accounting);
        assertThat(duringOutage).doesNotContainKey(500);
        assertThat(duringOutage).containsKey(503);
        assertThat(withoutRetryAfter.get()).isZero();
        assertThat(load.answers).doesNotContainKey(500);
    }

    private static java.util.Collection<String> concat(java.util.Collection<String> a, java.util.Collection<String> b) {
        java.util.List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A PostgreSQL server on {@code port} with its data in {@code data} (made on the first start, then kept). */
    private static EmbeddedPostgres database(int port, Path data) throws java.io.IOException {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .start();
    }
}
