package com.replyhero.whatsapp.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * An org's data from before it could have several numbers: after V20 its one channel is its default, with an id; its
 * customers' windows are open on it as they were; its queued messages (no channel_id) are the default's.
 */
class ChannelsMigrationTest {

    @Test
    void theChannelAnOrgHadBecomesItsDefaultAndKeepsItsCustomersWindows() throws SQLException {
        String database = "migration_" + System.nanoTime();
        try (Connection admin =
                DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        String url = TestDatabase.url().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
        DriverManagerDataSource source = new DriverManagerDataSource(url, TestDatabase.user(), TestDatabase.password());
        try {
            Flyway.configure()
                    .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                    .dataSource(source)
                    .locations("classpath:db/migration")
                    .target("19.1")
                    .load()
                    .migrate();
            JdbcClient db = JdbcClient.create(source);
            db.sql("INSERT INTO orgs (id, name, time_zone, default_language) VALUES ('o1', 'Org', 'UTC', 'en_US')")
                    .update();
            db.sql("""
                            INSERT INTO channels (org_id, phone_number_id, access_token, throughput_per_second)
                            VALUES ('o1', '111', 'token', 80)
                            """).update();
            db.sql("""
                            INSERT INTO customers (org_id, id, phone, last_inbound_at)
                            VALUES ('o1', 'c1', '60123', now() - interval '1 hour'),
                                   ('o1', 'c2', '60124', NULL)
                            """).update();

            Flyway.configure()
                    .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                    .dataSource(source)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();

            Map<String, Object> channel = db.sql("SELECT id, is_default, phone_number_id FROM channels")
                    .query()
                    .singleRow();
            assertThat(channel.get("id")).asString().isNotBlank();
            assertThat(channel.get("is_default")).isEqualTo(true);
            assertThat(db.sql("""
                            SELECT customer_id FROM customer_windows
                             WHERE org_id = 'o1' AND channel_id = :channel
                               AND last_inbound_at > now() - interval '2 hours'
                            """)
                            .param("channel", channel.get("id"))
                            .query(String.class)
                            .list())
                    .containsExactly("c1");
            // one default per org
            assertThat(db.sql("""
                            INSERT INTO channels (org_id, id, phone_number_id, access_token, is_default)
                            VALUES ('o1', 'second', '222', 'token', true)
                            ON CONFLICT DO NOTHING
                            """).update()).isZero();
        } finally {
            try (Connection admin =
                    DriverManager.getConnection(TestDatabase.url(), TestDatabase.user(), TestDatabase.password())) {
                admin.createStatement().execute("DROP DATABASE " + database);
            }
        }
    }
}
