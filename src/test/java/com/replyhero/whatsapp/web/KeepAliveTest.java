package com.replyhero.whatsapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.GatewayTest;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * The bench's 512 sends after 20 idle seconds got 48 "no answer" outcomes: the server closed its idle connections
 * (after 20 s) while the JDK HTTP client, which pools them for 30 s, sent on them. The server now keeps them longer.
 */
class KeepAliveTest extends GatewayTest {

    /** The JDK HTTP client's idle pool time, in seconds ({@code jdk.httpclient.keepalive.timeout}, 30 by default). */
    private static final long JDK_CLIENT_POOL_SECONDS = Long.getLong("jdk.httpclient.keepalive.timeout", 30);

    @Autowired
    private WebServerApplicationContext context;

    @Test
    void anIdleConnectionOutlivesTheJdkClientsPool() {
        Connector connector =
                ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        long keepAliveMillis =
                Long.parseLong(connector.getProperty("keepAliveTimeout").toString());
        long readTimeoutMillis =
                Long.parseLong(connector.getProperty("connectionTimeout").toString());

        assertThat(keepAliveMillis).isGreaterThan(JDK_CLIENT_POOL_SECONDS * 1000);
        assertThat(readTimeoutMillis).as("slow clients are still cut off").isEqualTo(20_000);
    }
}
