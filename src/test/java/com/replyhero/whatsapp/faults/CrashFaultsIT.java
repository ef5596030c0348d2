package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.replyhero.whatsapp.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Scenario a: the gateway killed with {@code kill -9} at random moments, restarted each time, then reconciled
 * against the sandbox's ledger. Once during a broadcast at 100/s (full: 9,000 recipients, 90 s at that rate,
 * 5 kills) and once during single sends at 32 connections (full: 5 kills). The short version (in {@code
 * ./mvnw verify}) is one run: a broadcast of 2,000 and single sends at 32 connections at once, one kill.
 */
class CrashFaultsIT extends Scenario {

    @Test
    void aBroadcastKilledAtRandomMomentsSendsEveryRecipientAtMostOnce() throws Exception {
        // sized by the number's rate (20 s of it, 90 s in the full version), a rate this machine can keep: at
        // 1,000/s a busy 2-core machine sends some 60 to 150 a second and most slots pass before their send starts
        int rate = 100;
        int recipients = rate * size(20, 90);
        int kills = size(1, 5);
        int port = FaultRig.freePort();
        rig = FaultRig.start("a-broadcast", port);
        FaultRig.Node node = rig.gateway("gateway", port);
        FaultRig.Org org = rig.anOrg(node, rate);
        rig.insertCustomers(org, 60_100_000_000L, recipients);
        FaultRig.Org singles = rig.anOrg(node, 1000);
        Api api = node.api();
        SendLoad load = FULL
                ? null
                : new SendLoad(() -> api, singles, rig.customersWhoWroteIn(node, singles, 20), Duration.ofSeconds(60))
                        .start(32);

        String broadcast = rig.broadcast(node, org);
        List<Long> moments = ThreadLocalRandom.current()
                .longs(kills, recipients / 20, recipients * 9L / 10)
                .sorted()
                .boxed()
                .toList();
        List<Long> killedAt = new ArrayList<>();
        for (long moment : moments) {
            awaitProgress(
                    () -> accepted() >= moment,
                    this::accepted,
                    Duration.ofMillis(3_000L * moment / rate).plusMinutes(2),
                    "sandbox accepted " + moment);
            rig.kill(node);
            killedAt.add(accepted());
            node = rig.gateway("gateway", port);
        }
        if (load != null) {
            load.stop(); // the sends under way when the kill came are settled with the broadcast's
        }
        FaultRig.Node last = node;
        String completed = awaitBroadcast(last::api, broadcast, org, recipients, rate);
        settle(Duration.ofSeconds(60), org, singles);

        Map<String, Long> ledger = rig.ledger();
        Accounting accounting = Accounting.of(
                        "a. kill -9 x" + kills + ", broadcast of " + recipients,
                        recipients,
                        rig.stored(org).keySet(),
                        rig.stored(org),
                        ledger,
                        seconds(),
                        "killed after " + killedAt + " accepted by the sandbox; " + completed)
                .withNotes(this::notes)
                .report();
        assertThat(accounting.accepted()).isEqualTo(recipients);
        assertPasses(accounting);
        if (load != null) {
            Accounting sends = Accounting.ofSends(
                            "a. (same run) single sends at 32 connections",
                            load,
                            rig.tried(),
                            rig.stored(singles),
                            ledger,
                            seconds(),
                            "answers " + load.answers + ", no answer (retried) " + load.noAnswer)
                    .withNotes(this::notes)
                    .report();
            assertThat(sends.accepted()).isPositive();
            assertPasses(sends);
        }
    }

    @Test
    void singleSendsAt32ConnectionsSurviveKillsWithoutLossOrDuplicates() throws Exception {
        assumeTrue(FULL, "the short version runs with the broadcast");
        int kills = size(1, 5);
        int port = FaultRig.freePort();
        rig = FaultRig.start("a-single", port);
        AtomicReference<FaultRig.Node> node = new AtomicReference<>(rig.gateway("gateway", port));
        FaultRig.Org org = rig.anOrg(node.get(), 1000);
        List<String> customers = rig.customersWhoWroteIn(node.get(), org, 20);
        Api api = node.get().api();

        SendLoad load = new SendLoad(() -> api, org, customers, Duration.ofSeconds(60)).start(32);
        for (int i = 0; i < kills; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1_000, 5_000));
            rig.kill(node.get());
            node.set(rig.gateway("gateway", port));
        }
        Thread.sleep(2_000);
        load.stop();
        settle(Duration.ofSeconds(60), org);

        Accounting accounting = Accounting.ofSends(
                        "a. kill -9 x" + kills + ", single sends at 32 connections",
                        load,
                        rig.tried(),
                        rig.stored(org),
                        rig.ledger(),
                        seconds(),
                        "answers " + load.answers + ", no answer (retried) " + load.noAnswer)
                .withNotes(this::notes)
                .report();
        assertThat(accounting.accepted()).isPositive();
        assertPasses(accounting);
    }

    private long accepted() {
        return rig.sandbox.get("/sandbox/ledger").json().get("accepted").asLong();
    }
}
