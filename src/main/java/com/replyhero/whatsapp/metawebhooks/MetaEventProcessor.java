package com.replyhero.whatsapp.metawebhooks;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.channels.NumberHealthWebhooks;
import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.InboundMessages;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.Statuses;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.templates.TemplateWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies a stored Meta webhook: customers' messages are stored as {@code user} messages (once per wamid),
 * create the customer when unknown and open the window; statuses move messages forward; template webhooks go to
 * {@link TemplateWebhooks}, those of numbers' and accounts' health to {@link NumberHealthWebhooks}. Every step is
 * idempotent, so an event can be processed again after a crash.
 */
@Component
class MetaEventProcessor implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(MetaEventProcessor.class);

    private final MetaEvents events;
    private final Orgs orgs;
    private final Customers customers;
    private final InboundMessages inbound;
    private final Statuses statuses;
    private final TemplateWebhooks templateWebhooks;
    private final NumberHealthWebhooks numberHealth;
    private final JsonMapper json;
    private final Duration retryInterval;
    private final TransactionTemplate transaction;
    /** From Meta's time of a status (its {@code timestamp}) to the gateway applying it: how far statuses lag. */
    private final io.micrometer.core.instrument.Timer statusLag;

    MetaEventProcessor(
            MetaEvents events,
            Orgs orgs,
            Customers customers,
            InboundMessages inbound,
            Statuses statuses,
            TemplateWebhooks templateWebhooks,
            NumberHealthWebhooks numberHealth,
            JsonMapper json,
            TransactionTemplate transaction,
            MetaWebhookSettings settings,
            io.micrometer.core.instrument.MeterRegistry meters) {
        this.statusLag = io.micrometer.core.instrument.Timer.builder("rh.webhooks.status.lag")
                .description("from Meta's time of a message status to the gateway applying it")
                .serviceLevelObjectives(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30))
                .register(meters);
        this.retryInterval = settings.retryInterval();
        this.events = events;
        this.orgs = orgs;
        this.customers = customers;
        this.inbound = inbound;
        this.statuses = statuses;
        this.templateWebhooks = templateWebhooks;
        this.numberHealth = numberHealth;
        this.json = json;
        this.transaction = transaction;
    }

    /**
     * Stores a webhook Meta just sent and applies it, in one transaction (one commit per webhook): the raw event
     * is committed whatever happens; a failure to apply it is rolled back to a savepoint and left for
     * {@link #retryUnprocessed()}. Throws only when the event could not be stored (Meta will send it again).
     */
    void storeAndProcess(String body) {
        transaction.executeWithoutResult(tx -> {
            long id = events.store(body);
            Object savepoint = tx.createSavepoint();
            try {
                events.markProcessed(id, apply(json.readTree(body)));
                tx.releaseSavepoint(savepoint);
            } catch (RuntimeException e) {
                tx.rollbackToSavepoint(savepoint);
                log.warn("Meta event {} could not be processed; it will be retried: {}", id, e.getMessage());
                events.markFailed(id, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
    }

    /** Processes one stored event; a failure leaves it for {@link #retryUnprocessed()}. */
    void process(long id, String body) {
        try {
            // applied and marked in one transaction: one commit less per webhook, and never one without the other
            transaction.executeWithoutResult(tx -> events.markProcessed(id, apply(json.readTree(body))));
        } catch (RuntimeException e) {
            log.warn("Meta event {} could not be processed; it will be retried: {}", id, e.getMessage());
            events.markFailed(id, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::retryUnprocessed, retryInterval, Duration.ofSeconds(5)));
    }

    void retryUnprocessed() {
        try {
            events.unprocessed(100).forEach(event -> process(event.id(), event.body()));
        } catch (RuntimeException e) {
            log.warn("Retrying Meta events failed: {}", e.getMessage());
        }
    }

    /** Answers a note when part of the event was not for us (an unknown number), else null. */
    private String apply(JsonNode event) {
        String note = null;
        for (JsonNode entry : event.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                String field = change.path("field").asString("");
                if (TemplateWebhooks.FIELDS.contains(field)) {
                    // template webhooks name the WhatsApp Business Account (entry.id), not a number
                    String templateNote = templateWebhooks.apply(
                            entry.path("id").asString(""), field, value, epochSeconds(entry.path("time")));
                    note = templateNote == null ? note : templateNote;
                    continue;
                }
                if (NumberHealthWebhooks.FIELDS.contains(field)) {
                    // as template webhooks: the account, and (for quality) the number's display phone number
                    String healthNote = numberHealth.apply(
                            entry.path("id").asString(""), field, value, epochSeconds(entry.path("time")));
                    note = healthNote == null ? note : healthNote;
                    continue;
                }
                String phoneNumberId =
                        value.path("metadata").path("phone_number_id").asString("");
                Optional<Channel> channel = orgs.channelByPhoneNumberId(phoneNumberId);
                if (channel.isEmpty()) {
                    note = "no org has phone_number_id " + phoneNumberId;
                    continue;
                }
                numberHealth.seen(
                        phoneNumberId,
                        value.path("metadata").path("display_phone_number").asString(""));
                String orgId = channel.get().orgId();
                Map<String, String> names = new HashMap<>();
                for (JsonNode contact : value.path("contacts")) {
                    names.put(
                            contact.path("wa_id").asString(""),
                            contact.path("profile").path("name").asString(null));
                }
                for (JsonNode message : value.path("messages")) {
                    receive(channel.get(), message, names);
                }
                List<Statuses.StatusUpdate> updates = new ArrayList<>();
                for (JsonNode status : value.path("statuses")) {
                    statusUpdate(status).ifPresent(updates::add);
                    if (status.hasNonNull("timestamp")) {
                        Duration lag = Duration.between(epochSeconds(status.path("timestamp")), Instant.now());
                        statusLag.record(lag.isNegative() ? Duration.ZERO : lag);
                    }
                }
                if (!updates.isEmpty()) {
                    statuses.applyStatuses(orgId, updates);
                }
            }
        }
        return note;
    }

    /** A message to one of an org's numbers: stored on that channel, whose window it opens. */
    private void receive(Channel channel, JsonNode message, Map<String, String> names) {
        String orgId = channel.orgId();
        String from = message.path("from").asString("");
        String wamid = message.path("id").asString("");
        if (from.isEmpty() || wamid.isEmpty()) {
            return;
        }
        Instant at = epochSeconds(message.path("timestamp"));
        Customer customer = customers.recordInbound(orgId, channel.id(), from, names.get(from), at);
        String kind = message.path("type").asString("unknown");
        inbound.insertInbound(
                new InboundMessages.NewInbound(orgId, channel.id(), customer.id(), wamid, kind, message, at),
                Ids.next(),
                Ids.next());
    }

    private static Optional<Statuses.StatusUpdate> statusUpdate(JsonNode status) {
        MessageStatus next = MessageStatus.fromWebhook(status.path("status").asString(null));
        if (next == null) {
            return Optional.empty();
        }
        JsonNode error = status.path("errors").path(0);
        Integer code = error.hasNonNull("code") ? error.get("code").asInt() : null;
        String text = error.isMissingNode()
                ? null
                : error.path("title").asString(error.path("message").asString(null));
        String details = error.path("error_data").path("details").asString(null);
        if (text != null && details != null && !details.equals(text)) {
            text = text + ": " + details; // Meta's title is generic ("Message undeliverable"); details say why
        }
        return Optional.of(new Statuses.StatusUpdate(
                status.path("id").asString(null),
                status.path("biz_opaque_callback_data").asString(null),
                next,
                code,
                text,
                status.path("pricing").path("category").asString(null)));
    }

    /** Meta's epoch seconds: a string in a message or status ({@code timestamp}), a number in an entry ({@code time}). */
    private static Instant epochSeconds(JsonNode timestamp) {
        if (timestamp.isIntegralNumber()) {
            return Instant.ofEpochSecond(timestamp.asLong());
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(timestamp.asString("")));
        } catch (NumberFormatException e) {
            return Instant.now();
        }
    }
}
