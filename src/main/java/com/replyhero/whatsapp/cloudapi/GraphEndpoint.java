package com.replyhero.whatsapp.cloudapi;

import java.time.Duration;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where the Cloud API is: {@code RH_GRAPH_URL} (Meta's {@code https://graph.facebook.com}, or any stand-in),
 * or, when that is empty, the sandbox built into this gateway on its own port.
 */
@Component
public class GraphEndpoint {

    public static final String SANDBOX_PATH = "/sandbox/graph";

    private final String configuredUrl;
    private final String version;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Environment environment;

    public GraphEndpoint(GraphSettings settings, Environment environment) {
        this.configuredUrl = strip(settings.url());
        this.version = settings.version();
        this.connectTimeout = settings.connectTimeout();
        this.requestTimeout = settings.requestTimeout();
        this.environment = environment;
    }

    /** True when the built-in sandbox stands in for Meta (no RH_GRAPH_URL). */
    public boolean usesSandbox() {
        return configuredUrl.isEmpty();
    }

    /** The base URL including the API version, e.g. {@code https://graph.facebook.com/v23.0}. */
    public String versionedUrl() {
        return baseUrl() + "/" + version;
    }

    public String baseUrl() {
        return usesSandbox() ? localUrl() + SANDBOX_PATH : configuredUrl;
    }

    /** This gateway's own address, once its web server has started. */
    public String localUrl() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://127.0.0.1:" + port;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    private static String strip(String url) {
        String u = url == null ? "" : url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
