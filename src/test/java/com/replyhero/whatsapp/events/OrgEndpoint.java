package com.replyhero.whatsapp.events;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An org's backend for tests: a JDK HTTP server on 127.0.0.1 that records what it receives and answers as told. */
public final class OrgEndpoint implements AutoCloseable {

    /** One request as received: lower-case header names, the raw body, when. */
    public record Received(Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String type() {
            return json().get("type").asString();
        }

        /** Checks the Standard Webhooks signature with our own HMAC, independently of the gateway's code. */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(
                        Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
                String signed = header("webhook-id") + "." + header("webhook-timestamp") + "." + body;
                String expected = "v1,"
                        + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
                return List.of(header("webhook-signature").split(" ")).contains(expected);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Deque<Integer> scripted = new ConcurrentLinkedDeque<>();
    private volatile int otherwise = 200;
    private volatile Duration delay = Duration.ZERO;

    private OrgEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(headers, body, Instant.now());
            all.add(request);
            received.add(request);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Integer next = scripted.pollFirst();
            exchange.sendResponseHeaders(next == null ? otherwise : next, -1);
            exchange.close();
        });
        server.start();
    }

    public static OrgEndpoint start() {
        return new OrgEndpoint();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** The next answers, in order; afterwards {@link #otherwise(int)}. */
    public OrgEndpoint answer(int... statuses) {
        for (int status : statuses) {
            scripted.addLast(status);
        }
        return this;
    }

    public OrgEndpoint otherwise(int status) {
        this.otherwise = status;
        return this;
    }

    OrgEndpoint delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** The next request, or an assertion error after {@code timeout}. */
    public Received next(Duration timeout) {
        try {
            Received request = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (request == null) {
                throw new AssertionError("the org's endpoint received nothing within " + timeout);
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next request of this event type, skipping others. */
    public Received next(String type, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Received request = next(
                    Duration.between(Instant.now(), deadline).isNegative()
                            ? Duration.ZERO
                            : Duration.between(Instant.now(), deadline));
            if (request.type().equals(type)) {
                return request;
            }
        }
    }

    public List<Received> all() {
        return new ArrayList<>(all);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
