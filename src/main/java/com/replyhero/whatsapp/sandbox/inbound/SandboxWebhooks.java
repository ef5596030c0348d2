package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.cloudapi.MetaSignature;
import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxState;
import com.replyhero.whatsapp.sandbox.faults.SandboxFaults;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Delivers Meta-shaped webhooks, signed with the app secret, to the gateway: inbound messages and statuses. */
@Component
@Conditional(SandboxEnabled.class)
public class SandboxWebhooks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxWebhooks.class);

    private final SandboxAccount settings;
    private final SandboxFaults faults;
    private final String appSecret;
    private final JsonMapper json;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final java.util.concurrent.Semaphore statusPosts = new java.util.concurrent.Semaphore(64);
    private final StatusBatches batches;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sandbox-webhooks").factory());

    SandboxWebhooks(SandboxAccount settings, SandboxSecrets secrets, JsonMapper json, SandboxFaults faults) {
        this.settings = settings;
        this.faults = faults;
        this.appSecret = secrets.appSecret();
        this.json = json;
        this.batches = new StatusBatches(settings.statusBatchSize(), settings.statusBatchPosts(), this::postStatuses);
    }

    /** A customer's message, delivered now; answers the gateway's HTTP status. */
    int deliverInbound(String phoneNumberId, String from, String name, ObjectNode message) {
        ObjectNode value = value(phoneNumberId);
        ObjectNode contact = value.putArray("contacts").addObject();
        contact.putObject("profile").put("name", name);
        contact.put("wa_id", from);
        value.putArray("messages").add(message);
        int status = post(envelope(value));
        if (SandboxFaults.chance(faults.settings().statuses().duplicate())) {
            post(envelope(value)); // Meta delivers webhooks at least once
        }
        return status;
    }

    /**
     * Meta's sent, delivered and read statuses for an accepted message, one after another (each posted once the
     * webhook that carried the previous one was answered), with the status faults in force: delayed, late,
     * duplicated, reordered or lost. Statuses of different messages that are due together travel in one webhook,
     * as Meta batches them (at most {@code rh.sandbox.status-batch-size}).
     */
    public void scheduleStatuses(SandboxState.Accepted message) {
        if (!settings.statusWebhooks()) {
            return;
        }
        SandboxFaults.StatusFaults fault = faults.settings().statuses();
        long step = Math.max(1, settings.statusDelay().toMillis());
        List<String> statuses = new ArrayList<>(List.of("sent", "delivered", "read"));
        if (SandboxFaults.chance(fault.reorder())) {
            Collections.reverse(statuses);
        }
        long first = step + fault.delayMs() + (SandboxFaults.chance(fault.late()) ? fault.lateMs() : 0);
        timer.schedule(
                () -> Thread.startVirtualThread(() -> {
                    for (String status : statuses) {
                        if (!SandboxFaults.chance(fault.lose())) {
                            batches.post(message.phoneNumberId(), statusObject(message, status))
                                    .join();
                            if (SandboxFaults.chance(fault.duplicate())) {
                                post(envelope(statusValue(message, status)));
                            }
                        }
                        try {
                            Thread.sleep(step + fault.delayMs());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }),
                first,
                TimeUnit.MILLISECONDS);
    }

    /**
     * A change of a WhatsApp Business Account's own ({@code message_template_status_update} and the like), as Meta
     * posts it: {@code entry[].id} is the account, {@code changes[].field} names the change. Posted in the
     * background until the gateway takes it.
     */
    public void postAccountChange(String wabaId, String field, ObjectNode value) {
        ObjectNode body = json.createObjectNode();
        body.put("object", "whatsapp_business_account");
        ObjectNode entry = body.putArray("entry").addObject();
        entry.put("id", wabaId);
        entry.put("time", Instant.now().getEpochSecond());
        ObjectNode change = entry.putArray("changes").addObject();
        change.set("value", value);
        change.put("field", field);
        Thread.startVirtualThread(() -> postUntilAnswered(body));
    }

    private ObjectNode statusValue(SandboxState.Accepted message, String status) {
        ObjectNode value = value(message.phoneNumberId());
        value.putArray("statuses").add(statusObject(message, status));
        return value;
    }

    private ObjectNode statusObject(SandboxState.Accepted message, String status) {
        ObjectNode s = json.createObjectNode();
        s.put("id", message.wamid());
        s.put("status", status);
        s.put("timestamp", Long.toString(Instant.now().getEpochSecond()));
        s.put("recipient_id", message.to());
        if (message.callbackData() != null) {
            s.put("biz_opaque_callback_data", message.callbackData());
        }
        if (!status.equals("read") && message.pricingCategory() != null) {
            // as Meta: sent and delivered statuses say what the message is charged as
            ObjectNode pricing = s.putObject("pricing");
            pricing.put("billable", true);
            pricing.put("pricing_model", "PMP");
            pricing.put("category", message.pricingCategory());
        }
        return s;
    }

    /** The statuses of one number in one webhook, posted until the gateway takes it. */
    private void postStatuses(String phoneNumberId, List<ObjectNode> statuses) {
        ObjectNode value = value(phoneNumberId);
        value.putArray("statuses").addAll(statuses);
        postUntilAnswered(envelope(value));
    }

    private ObjectNode value(String phoneNumberId) {
        ObjectNode value = json.createObjectNode();
        value.put("messaging_product", "whatsapp");
        ObjectNode metadata = value.putObject("metadata");
        metadata.put("display_phone_number", settings.displayPhoneNumber(phoneNumberId));
        metadata.put("phone_number_id", phoneNumberId);
        return value;
    }

    private ObjectNode envelope(ObjectNode value) {
        ObjectNode body = json.createObjectNode();
        body.put("object", "whatsapp_business_account");
        ArrayNode entries = body.putArray("entry");
        ObjectNode entry = entries.addObject();
        entry.put("id", settings.wabaId());
        ObjectNode change = entry.putArray("changes").addObject();
        change.set("value", value);
        change.put("field", "messages");
        return body;
    }

    /**
     * As Meta does: a webhook the gateway did not take (down, or not 2xx) is posted again, with backoff; and
     * like Meta, a bounded number at once, so that a slow gateway gets a steady stream, not a storm of retries.
     */
    private void postUntilAnswered(ObjectNode body) {
        statusPosts.acquireUninterruptibly();
        try {
            retryUntilAnswered(body);
        } finally {
            statusPosts.release();
        }
    }

    private void retryUntilAnswered(ObjectNode body) {
        long deadline = System.nanoTime() + settings.webhookRetryFor().toNanos();
        long pause = 250;
        while (true) {
            int status = post(body);
            if ((status >= 200 && status < 300) || System.nanoTime() > deadline) {
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 4000);
        }
    }

    private int post(ObjectNode body) {
        byte[] bytes = json.writeValueAsBytes(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(MetaSignature.HEADER, MetaSignature.sign(appSecret, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        try {
            int status =
                    http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 300) {
                log.warn("The gateway answered {} to a sandbox webhook", status);
            }
            return status;
        } catch (IOException e) {
            log.warn("Sandbox webhook to {} failed: {}", settings.webhookUrl(), e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        batches.close();
    }
}
