package com.replyhero.whatsapp.console;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hears {@link InboxChanges}' announcements of every node on one dedicated connection per node (not the pool's: a
 * listening connection is held for good), opened from the pool's URL and user, and passes them to the node's open
 * inboxes ({@link InboxStreams}); it also sends their heartbeat. A dropped connection is opened again, waiting longer
 * after each failure (up to 30 s). It stops (and ends the node's streams) before the web server's graceful shutdown.
 */
@Component
class InboxListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxListener.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(25);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final InboxStreams streams;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    private final String listenUrl;

    InboxListener(DataSource dataSource, InboxStreams streams, ConsoleSettings settings) {
        this.dataSource = dataSource;
        this.streams = streams;
        this.listenUrl = settings.listenUrl();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("rh-inbox-listener").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        Thread listening = thread;
        if (listening != null) {
            listening.interrupt();
        }
        closeQuietly();
        streams.completeAll(); // before the web server's graceful shutdown, which would wait for them
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(250);
        long nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
        boolean reconnecting = false;
        while (running) {
            try (Connection listening = open()) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + InboxChanges.CHANNEL);
                }
                backoff = Duration.ofMillis(250);
                if (reconnecting) {
                    streams.refreshAll(); // what was announced while the connection was down is re-read
                }
                reconnecting = true;
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getParameter());
                        }
                    }
                    if (System.nanoTime() - nextHeartbeat >= 0) {
                        streams.heartbeat();
                        nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn(
                        "The inbox's listening connection failed ({}); opening it again in {}",
                        e.getMessage(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                connection = null;
            }
        }
    }

    /** The announced pairs, by org: one delivery per org however many of its conversations changed. */
    private void deliver(String payload) {
        Map<String, Set<String>> byOrg = new LinkedHashMap<>();
        for (String line : payload.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                byOrg.computeIfAbsent(line.substring(0, colon), o -> new LinkedHashSet<>())
                        .add(line.substring(colon + 1));
            }
        }
        byOrg.forEach(streams::changed);
    }

    /** A connection of its own, to the pool's database (or {@code rh.console.listen-url}) as the pool's user. */
    private Connection open() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        Properties properties = new Properties();
        if (pool.getDataSourceProperties() != null) {
            properties.putAll(pool.getDataSourceProperties());
        }
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", "rh-inbox-listener");
        return DriverManager.getConnection(
                listenUrl == null || listenUrl.isBlank() ? pool.getJdbcUrl() : listenUrl, properties);
    }

    private void closeQuietly() {
        Connection listening = connection;
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
