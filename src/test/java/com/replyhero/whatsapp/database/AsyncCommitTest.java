package com.replyhero.whatsapp.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import org.junit.jupiter.api.Test;

class AsyncCommitTest extends GatewayTest {

    @Test
    void relaxesTheCommitOfItsOwnTransactionOnlyAndCommitsTheWork() {
        db.sql("CREATE TABLE IF NOT EXISTS async_commit_probe (n int)").update();
        assertThat(db.sql("SHOW synchronous_commit").query(String.class).single())
                .isEqualTo("on"); // as the gateway's own server runs, and the test server too

        String inside = asyncCommit.run(() -> {
            db.sql("INSERT INTO async_commit_probe VALUES (1)").update();
            return db.sql("SHOW synchronous_commit").query(String.class).single();
        });

        assertThat(inside).isEqualTo("off");
        assertThat(db.sql("SHOW synchronous_commit").query(String.class).single())
                .isEqualTo("on");
        assertThat(db.sql("SELECT count(*) FROM async_commit_probe")
                        .query(Long.class)
                        .single())
                .isPositive();
        db.sql("DROP TABLE async_commit_probe").update();
    }
}
