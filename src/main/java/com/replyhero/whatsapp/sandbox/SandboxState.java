package com.replyhero.whatsapp.sandbox;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.customers.CustomerSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the sandbox knows, as Meta would: each customer's 24-hour window per business number (kept in the
 * data directory, so a restart does not close them), and a ledger of every message it accepted: per
 * gateway message id ({@code biz_opaque_callback_data}) and per recipient. The ledger is the ground truth
 * for tests: how many times did "Meta" accept this message?
 */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxState {

    /** A message the sandbox accepted, and the body it received, as it received it. */
    public record Accepted(
            String wamid,
            String phoneNumberId,
            String to,
            String type,
            String callbackData,
            Instant at,
            JsonNode body,
            String pricingCategory) {}

    private static final int RECENT = 10_000;

    private final Path windowsFile;
    private final Map<String, Instant> windows = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byCallbackData = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byRecipient = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> receivedByCallbackData = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final Map<String, Map<Long, LongAdder>> perTenth = new ConcurrentHashMap<>();
    private final Deque<Accepted> recent = new ArrayDeque<>();
    /** The wamids of the customers' messages the sandbox sent in, and to which business number (the latest ones). */
    private final Map<String, String> sentIn =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > RECENT * 10;
                }
            });
    /** The read receipts the sandbox accepted, per wamid, as it received them. */
    private final Map<String, List<JsonNode>> reads = new ConcurrentHashMap<>();

    /** Meta's customer-service window, as the gateway's rule has it ({@code rh.customers.window}). */
    private final Duration window;

    SandboxState(DataDir dataDir, CustomerSettings customers) {
        this.window = customers.window();
        this.windowsFile = dataDir.resolve("sandbox").resolve("windows.properties");
        load();
    }

    public void customerWroteIn(String phoneNumberId, String phone, Instant at) {
        windows.merge(phoneNumberId + ":" + phone, at, (a, b) -> a.isAfter(b) ? a : b);
        save();
    }

    /** A simulated customer's message with this wamid went in to this business number. */
    public void sentIn(String phoneNumberId, String wamid) {
        sentIn.put(wamid, phoneNumberId);
    }

    /** Whether the sandbox sent in a customer's message with this wamid to this business number. */
    public boolean wasSentIn(String phoneNumberId, String wamid) {
        return phoneNumberId.equals(sentIn.get(wamid));
    }

    /** A read receipt (and typing indicator) for the customer's message with this wamid was accepted. */
    public void read(String wamid, JsonNode body) {
        reads.computeIfAbsent(wamid, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(body);
    }

    /** The read receipts accepted for this wamid, as received, oldest first. */
    public List<JsonNode> readsOf(String wamid) {
        return List.copyOf(reads.getOrDefault(wamid, List.of()));
    }

    public boolean windowOpen(String phoneNumberId, String phone, Instant now) {
        Instant last = windows.get(phoneNumberId + ":" + phone);
        return last != null && last.plus(window).isAfter(now);
    }

    public void accept(Accepted message) {
        accepted.incrementAndGet();
        if (message.callbackData() != null) {
            byCallbackData
                    .computeIfAbsent(message.callbackData(), k -> new LongAdder())
                    .increment();
        }
        byRecipient.computeIfAbsent(message.to(), k -> new LongAdder()).increment();
        perTenth.computeIfAbsent(message.phoneNumberId(), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(message.at().toEpochMilli() / 100, k -> new LongAdder())
                .increment();
        synchronized (recent) {
            recent.addLast(message);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    /** A send of this gateway message id reached the sandbox (read in full), whatever the sandbox then answered. */
    public void received(String callbackData) {
        receivedByCallbackData
                .computeIfAbsent(callbackData, k -> new LongAdder())
                .increment();
    }

    /** For each gateway message id, how many of its sends reached the sandbox (accepted or not). */
    public Map<String, Long> receivedPerCallbackData() {
        Map<String, Long> counts = new java.util.HashMap<>();
        receivedByCallbackData.forEach((id, n) -> counts.put(id, n.sum()));
        return counts;
    }

    public long acceptedTotal() {
        return accepted.get();
    }

    public long acceptedFor(String callbackData) {
        LongAdder count = byCallbackData.get(callbackData);
        return count == null ? 0 : count.sum();
    }

    /** For each gateway message id, how many times the sandbox accepted it. */
    public Map<String, Long> acceptedPerCallbackData() {
        Map<String, Long> counts = new java.util.HashMap<>();
        byCallbackData.forEach((id, n) -> counts.put(id, n.sum()));
        return counts;
    }

    public long acceptedTo(String phone) {
        LongAdder count = byRecipient.get(phone);
        return count == null ? 0 : count.sum();
    }

    public void throttled() {
        throttled.incrementAndGet();
    }

    public long throttledTotal() {
        return throttled.get();
    }

    public long distinctRecipients() {
        return byRecipient.size();
    }

    /** How many recipients got more than one message (a broadcast sent exactly once keeps this at 0). */
    public long recipientsWithMoreThanOne() {
        return byRecipient.values().stream().filter(c -> c.sum() > 1).count();
    }

    /** Messages accepted from one business number per tenth of a second (epoch ms / 100 to count), oldest first. */
    public Map<Long, Long> perTenthOfSecond(String phoneNumberId) {
        Map<Long, Long> counts = new java.util.TreeMap<>();
        perTenth.getOrDefault(phoneNumberId, Map.of()).forEach((tenth, n) -> counts.put(tenth, n.sum()));
        return counts;
    }

    /** How many distinct gateway message ids were accepted more than once (should stay 0). */
    public long duplicated() {
        return byCallbackData.values().stream().filter(c -> c.sum() > 1).count();
    }

    public long distinctCallbackData() {
        return byCallbackData.size();
    }

    /** The latest accepted messages, newest last, optionally to one recipient. */
    public List<Accepted> recent(String to, int limit) {
        List<Accepted> matching;
        synchronized (recent) {
            matching =
                    recent.stream().filter(m -> to == null || m.to().equals(to)).toList();
        }
        return matching.subList(Math.max(0, matching.size() - limit), matching.size());
    }

    /** The bodies received for the message with this gateway id that the sandbox accepted (of the latest ones). */
    public List<JsonNode> bodiesFor(String callbackData) {
        synchronized (recent) {
            return recent.stream()
                    .filter(m -> callbackData.equals(m.callbackData()))
                    .map(Accepted::body)
                    .toList();
        }
    }

    /** The latest accepted message with this gateway id or this wamid (of the latest ones). */
    public java.util.Optional<Accepted> find(String callbackDataOrWamid) {
        synchronized (recent) {
            var newestFirst = recent.descendingIterator();
            while (newestFirst.hasNext()) {
                Accepted m = newestFirst.next();
                if (callbackDataOrWamid.equals(m.wamid()) || callbackDataOrWamid.equals(m.callbackData())) {
                    return java.util.Optional.of(m);
                }
            }
        }
        return java.util.Optional.empty();
    }

    private void load() {
        if (!Files.exists(windowsFile)) {
            return;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(windowsFile)) {
            properties.load(reader);
        } catch (IOException e) {
            return; // a damaged file only closes windows, as a restart of Meta's memory would
        }
        properties.forEach((key, value) -> windows.put((String) key, Instant.parse((String) value)));
    }

    private synchronized void save() {
        Properties properties = new Properties();
        windows.forEach((key, value) -> properties.setProperty(key, value.toString()));
        try {
            Files.createDirectories(windowsFile.getParent());
            Path tmp = windowsFile.resolveSibling("windows.properties.tmp");
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                properties.store(writer, "sandbox customer-service windows");
            }
            Files.move(tmp, windowsFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
