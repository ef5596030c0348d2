package com.replyhero.whatsapp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What counting a request against its key's rate limit adds to every request (so to every send): the key look-up
 * alone against the look-up that also upserts the key's counter row, in the same statement. Prints the figures;
 * asserts only that both do their work (no timing assertion).
 */
class RateLimitCostTest extends GatewayTest {

    private static final int ROUNDS = 3_000;

    @Test
    void measuresTheCostOfCountingARequest() {
        TestOrg org = anOrg();
        ApiKeys keys = new ApiKeys(
                db, asyncCommit, new RateLimitSettings(1_000_000), new ApiKeySettings(Duration.ofSeconds(1)));
        String key = keys.create(org.orgId(), "cost").key();
        byte[] hash = ApiKeyFormat.hash(key);

        for (int i = 0; i < 500; i++) { // warm-up
            lookUpOnly(hash);
            keys.authenticateAndCount(key);
        }
        long plain = 0;
        long counted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = System.nanoTime();
            lookUpOnly(hash);
            long t1 = System.nanoTime();
            assertThat(keys.authenticateAndCount(key)).isPresent();
            long t2 = System.nanoTime();
            plain += t1 - t0;
            counted += t2 - t1;
        }

        System.out.printf(
                "rate-limit cost: key look-up alone %.0f us, look-up + per-key counter upsert %.0f us per request"
                        + " (mean of %d, one round trip each)%n",
                plain / 1e3 / ROUNDS, counted / 1e3 / ROUNDS, ROUNDS);
    }

    private void lookUpOnly(byte[] hash) {
        assertThat(db.sql("SELECT org_id, id, scopes FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
                        .param(hash)
                        .query()
                        .listOfRows())
                .hasSize(1);
    }
}
