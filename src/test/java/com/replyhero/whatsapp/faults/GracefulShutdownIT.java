package com.replyhero.whatsapp.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged gateway in the middle of a broadcast: it turns not ready first (readiness 503), stops
 * taking work, finishes the Cloud API calls under way (none is left {@code sending}), and exits 0 within the
 * bound; the rest of the broadcast stays queued for the next start, which completes it.
 */
class GracefulShutdownIT extends Scenario {

    @Test
    void sigtermTurnsNotReadyFinishesItsCallsAndExitsZero() throws Exception {
        int port = FaultRig.freePort();
        rig = FaultRig.start("graceful-shutdown", port);
        FaultRig.Node node = rig.gateway("gateway", port);
        FaultRig.Org org = rig.anOrg(node, 100);
        rig.insertCustomers(org, 60_500_000_000L, 1_000);
        String broadcast = rig.broadcast(node, org);
        FaultRig.await(
                () -> node.api()
                                .get(broadcast, org.keyHeader())
                                .json()
                                .get("sent")
                                .asLong()
                        >= 100,
                Duration.ofSeconds(60),
                "100 sent");
        AtomicBoolean sawNotReady = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (node.process().isAlive()) {
                try {
                    if (node.api().get("/actuator/health/readiness").status() == 503) {
                        sawNotReady.set(true);
                        return;
                    }
                } catch (RuntimeException e) {
                    return; // the web server has closed
                }
            }
        });

        Instant signalled = Instant.now();
        node.process().destroy(); // SIGTERM
        boolean exited = node.process().waitFor(40, TimeUnit.SECONDS);
        watcher.join(5_000);

        assertThat(exited).as("exited within 40 s").isTrue();
        assertThat(node.process().exitValue()).isZero();
        assertThat(sawNotReady).as("readiness answered 503 before the exit").isTrue();
        assertThat(sending(org)).as("messages left mid-send").isZero();
        System.out.printf(
                "SIGTERM: exit 0 after %d ms%n",
                Duration.between(signalled, Instant.now()).toMillis());

        FaultRig.Node again = rig.gateway("gateway", port);
        FaultRig.await(
                () -> again.api()
                        .get(broadcast, org.keyHeader())
                        .json()
                        .get("status")
                        .asString()
                        .equals("completed"),
                Duration.ofSeconds(60),
                "broadcast completed after the restart");
        assertThat(rig.sandbox
                        .get("/sandbox/ledger")
                        .json()
                        .get("duplicatedMessageIds")
                        .asLong())
                .isZero();
    }

    private long sending(FaultRig.Org org) throws java.sql.SQLException {
        try (Connection c = rig.connection();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM messages WHERE org_id = ? AND status = 'sending'")) {
            s.setString(1, org.orgId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
