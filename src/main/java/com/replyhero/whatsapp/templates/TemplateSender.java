package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.cloudapi.WhatsAppApiException;
import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.customers.Traits;
import com.replyhero.whatsapp.idempotency.IdempotentRequest;
import com.replyhero.whatsapp.media.UploadedMedia;
import com.replyhero.whatsapp.messages.BroadcastRecipients;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Org;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a template to the org's customers: checks the request and the template before anything is stored,
 * stores a broadcast with one queued message per recipient, and lets the paced dispatcher send them. Up to
 * {@code rh.broadcasts.sync-limit} recipients the caller waits for the outcome and gets the seed's array;
 * above it (or with {@code Prefer: respond-async}) the caller gets the broadcast to follow.
 */
@Service
public class TemplateSender {

    private static final Logger log = LoggerFactory.getLogger(TemplateSender.class);
    static final int MAX_ID = 200;
    static final int MAX_CUSTOMER_IDS = 10_000;
    /** Recipients are read from the org's customers and queued this many at a time. */
    private static final int RECIPIENT_PAGE = 5_000;
    /** How often a synchronous send looks for outcomes that no attempt of this node signals (another node's). */
    private static final Duration OTHER_NODES_POLL = Duration.ofMillis(250);

    /** How a send ended: the records of a synchronous send, or the broadcast that goes on in the background. */
    public sealed interface Outcome {
        record Records(List<MessageRecord> records) implements Outcome {}

        record Accepted(BroadcastProgress progress) implements Outcome {}
    }

    private final Orgs orgs;
    private final Templates templates;
    private final TemplateSync sync;
    private final Broadcasts broadcasts;
    private final BroadcastRecipients recipients;
    private final Customers customers;
    private final UploadedMedia uploadedMedia;
    private final BroadcastDispatcher dispatcher;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final int syncLimit;
    private final Duration syncWait;

    TemplateSender(
            Orgs orgs,
            Templates templates,
            TemplateSync sync,
            Broadcasts broadcasts,
            BroadcastRecipients recipients,
            Customers customers,
            UploadedMedia uploadedMedia,
            BroadcastDispatcher dispatcher,
            TransactionTemplate transaction,
            JsonMapper json,
            BroadcastSettings settings) {
        this.orgs = orgs;
        this.templates = templates;
        this.sync = sync;
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.customers = customers;
        this.uploadedMedia = uploadedMedia;
        this.dispatcher = dispatcher;
        this.transaction = transaction;
        this.json = json;
        this.syncLimit = settings.syncLimit();
        this.syncWait = settings.syncWait();
    }

    /** The API's template send, and the console's (its signed-in user's caller): 403 without the send scope. */
    public Outcome send(
            Caller caller, TemplateSendRequest request, boolean preferAsync, IdempotentRequest idempotency) {
        caller.requireScope(Scope.SEND);
        String templateName = Require.text(request.templateName(), "templateName", 512);
        Require.text(request.sessionId(), "sessionId", MAX_ID);
        Require.text(request.userId(), "userId", MAX_ID);
        Require.text(request.orgId(), "orgId", MAX_ID);
        String requestedLanguage = Require.optional(request.language(), "language", 20);
        Require.optional(request.from(), "from", 32);
        String namedChannel = Require.optional(request.channelId(), "channelId", MAX_ID);
        Instant sendAt = sendAt(request.sendAt());
        List<TemplateSendRequest.Component> components = TemplateMessages.checkComponents(request.components());
        // a misspelt audience (a top-level "tags", an audience "tag") read as none would send to every customer
        Require.noUnknownFields(
                request.unknownFields(),
                "",
                "the seed's fields, language, customerIds, channelId," + " from, sendAt, audience");
        if (request.audience() != null) {
            Require.noUnknownFields(request.audience().unknownFields(), "audience.", "tags, attributes, customerIds");
        }
        List<String> customerIds = audienceIds(request);
        Customers.Audience audience = audience(request.audience(), customerIds);
        caller.requireOrg(request.orgId());
        String orgId = caller.orgId();
        Org org = orgs.get(orgId);
        if (!orgs.userExists(orgId, request.userId())) {
            throw ApiException.notFound("user", "userId");
        }
        String channelId = orgs.channelIdOf(orgId, namedChannel, request.from());
        Channel channel = channelId == null
                ? orgs.defaultChannel(orgId).orElseThrow(Channel::notConfigured)
                : orgs.channel(orgId, channelId)
                        .orElseThrow(() -> Channel.notFound(namedChannel != null ? "channelId" : "from"));
        String language = requestedLanguage == null ? org.defaultLanguage() : requestedLanguage;
        Template template = template(channel, templateName, language);
        TemplateWebhooks.requireApproved(template);
        TemplateMessages.Checked checked = TemplateMessages.against(template, components);
        Personalization.requireKnown(checked.template(), "components");
        checkMedia(orgId, checked.mediaIds());
        if (customerIds != null && customers.count(orgId, customerIds) != customerIds.size()) {
            throw ApiException.notFound("customer", "customerIds");
        }

        String key = idempotency.key().orElse(null);
        byte[] requestHash = key == null ? null : idempotency.hashOf(request);
        if (key != null) {
            Optional<Broadcast> earlier = broadcasts.findByIdempotencyKey(orgId, key);
            if (earlier.isPresent()) {
                return replay(earlier.get(), idempotency, requestHash, org);
            }
        }
        ObjectNode content = json.createObjectNode();
        content.put("type", "template");
        content.set("template", checked.template());
        boolean small = !preferAsync && sendAt == null && customers.reachableAtMost(orgId, audience, syncLimit);
        Broadcast broadcast;
        try {
            broadcast = create(
                    new Broadcasts.NewBroadcast(
                            orgId,
                            Ids.next(),
                            channel.id(),
                            template.name(),
                            template.language(),
                            request.userId(),
                            request.sessionId(),
                            content,
                            audience,
                            small,
                            key,
                            requestHash,
                            sendAt),
                    template.hasOtherComponents()
                            ? TemplateMessages.BODY_TEXT_WITH_OTHERS
                            : TemplateMessages.BODY_TEXT_ALONE);
        } catch (DuplicateKeyException e) {
            return replay(broadcasts.findByIdempotencyKey(orgId, key).orElseThrow(), idempotency, requestHash, org);
        }
        log.info(
                "Broadcast {} of template {} ({}) to {} recipient(s) of org {}",
                broadcast.id(),
                template.name(),
                template.language(),
                broadcast.total(),
                orgId);
        if (sendAt == null) {
            dispatcher.wake(new Broadcasts.Sender(orgId, channel.id(), channel.isDefault()));
        }
        if (!small || broadcast.total() > syncLimit) {
            return new Outcome.Accepted(progress(broadcast));
        }
        waitForAttempts(broadcast);
        return new Outcome.Records(records(broadcast, org));
    }

    /** A repeat of the send that made {@code earlier}: its records once attempted, or its progress. */
    private Outcome replay(Broadcast earlier, IdempotentRequest idempotency, byte[] requestHash, Org org) {
        // never "in progress": the broadcast is stored whole in one transaction, and a repeat waits for it as the
        // first request does
        idempotency.repeats(earlier.requestHash(), false, requestHash);
        if (earlier.total() > syncLimit) {
            return new Outcome.Accepted(progress(earlier));
        }
        waitForAttempts(earlier);
        return new Outcome.Records(records(earlier, org));
    }

    /** The template by name and language; an unknown one is looked up on the Cloud API once before refusing. */
    private Template template(Channel channel, String name, String language) {
        Optional<Template> known = templates.find(channel.orgId(), name, language);
        if (known.isEmpty()) {
            try {
                sync.sync(channel);
            } catch (WhatsAppApiException e) {
                // the lookup failed, not the request: "no such template" would send the client to fix its input
                log.info("Could not sync the templates of org {}: {}", channel.orgId(), e.getMessage());
                if (e.retryable()) {
                    throw new ApiException(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "template_lookup_failed",
                            "the org's templates could not be looked up on the WhatsApp Cloud API (" + e.getMessage()
                                    + "); nothing was sent, try again",
                            "templateName");
                }
                throw e;
            }
            known = templates.find(channel.orgId(), name, language);
        }
        if (known.isPresent()) {
            return known.get();
        }
        List<String> languages = templates.languages(channel.orgId(), name);
        if (languages.isEmpty()) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "template_not_found",
                    "the org has no template named " + name + " (sync it from the Cloud API or register it:"
                            + " POST /admin/orgs/{orgId}/templates)",
                    "templateName");
        }
        throw new ApiException(
                HttpStatus.BAD_REQUEST,
                "template_language_not_found",
                "template " + name + " has no " + language + " version; it exists in " + String.join(", ", languages),
                "language");
    }

    private void checkMedia(String orgId, List<String> mediaIds) {
        for (String id : mediaIds) {
            if (!uploadedMedia.exists(orgId, id)) {
                throw ApiException.notFound("media", "components");
            }
        }
    }

    /** The ids a send names: {@code customerIds}, or {@code audience.customerIds} (not both). */
    private static List<String> audienceIds(TemplateSendRequest request) {
        List<String> ids = customerIds(request.customerIds(), "customerIds");
        List<String> audienceIds = request.audience() == null
                ? null
                : customerIds(request.audience().customerIds(), "audience.customerIds");
        if (ids != null && audienceIds != null) {
            throw ApiException.invalid("audience.customerIds", "give customerIds or audience.customerIds, not both");
        }
        return ids != null ? ids : audienceIds;
    }

    private static Customers.Audience audience(TemplateSendRequest.Audience given, List<String> customerIds) {
        if (given == null) {
            return new Customers.Audience(customerIds, null, null);
        }
        if (given.tags() == null
                && (given.attributes() == null || given.attributes().isEmpty())
                && given.customerIds() == null) {
            // {} would select every customer: an audience names who it is
            throw ApiException.invalid(
                    "audience",
                    "audience must name tags, attributes or customerIds (leave audience out to send to every"
                            + " customer)");
        }
        List<String> tags = Traits.tags(given.tags(), "audience.tags");
        if (tags != null && tags.isEmpty()) {
            throw ApiException.invalid("audience.tags", "audience.tags needs at least one tag (or leave it out)");
        }
        return new Customers.Audience(
                customerIds, tags, Traits.attributes(given.attributes(), "audience.attributes", false));
    }

    /**
     * Stores the broadcast and one queued message per recipient (the org's customers who did not opt out; only
     * {@code customerIds} when given) in one transaction. Recipients of small, synchronous sends go ahead of a
     * running broadcast's queue.
     */
    private Broadcast create(Broadcasts.NewBroadcast b, int bodyLimit) {
        BroadcastRecipients.Recipients queue = new BroadcastRecipients.Recipients(
                b.orgId(), b.id(), b.channelId(), b.userId(), b.sessionId(), b.content(), b.priority(), b.sendAt());
        boolean personal = Personalization.needed(b.content());
        return transaction.execute(tx -> {
            // checked again with the template's row held: a webhook that pauses it meanwhile finds this broadcast
            String status = templates
                    .lockedStatus(b.orgId(), b.templateName(), b.language())
                    .orElse("DELETED");
            TemplateWebhooks.requireApproved(b.templateName(), b.language(), status);
            broadcasts.insert(b);
            int total = 0;
            String after = null;
            List<String> page;
            do {
                page = customers.reachable(b.orgId(), b.audience(), after, RECIPIENT_PAGE);
                if (!page.isEmpty()) {
                    Map<String, Customer> byId = personal ? customers.byIds(b.orgId(), page) : null;
                    List<JsonNode> contents = personal
                            ? page.stream()
                                    .map(id -> Personalization.forCustomer(b.content(), byId.get(id)))
                                    .toList()
                            : null;
                    int queued = recipients.queue(queue, page, contents, total);
                    if (personal) {
                        failUnsendable(b, page, byId, contents, total, bodyLimit);
                    }
                    total += queued;
                    after = page.getLast();
                }
            } while (page.size() == RECIPIENT_PAGE);
            return broadcasts.setTotal(b.orgId(), b.id(), total);
        });
    }

    /**
     * The recipients of a page (queued after {@code numbered} others) whose own values make their message one Meta
     * would refuse (a value missing, too long, or with a line break) fail at once, alone, never sent: the others go
     * ahead.
     */
    private void failUnsendable(
            Broadcasts.NewBroadcast b,
            List<String> page,
            Map<String, Customer> byId,
            List<JsonNode> contents,
            int numbered,
            int bodyLimit) {
        for (int i = 0; i < contents.size(); i++) {
            int n = numbered + i + 1;
            List<String> missing = Personalization.missing(b.content(), byId.get(page.get(i)));
            java.util.Optional<String> why = missing.isEmpty()
                    ? Personalization.problem(contents.get(i), bodyLimit)
                    : java.util.Optional.of("the customer has no value for " + String.join(", ", missing));
            why.ifPresent(reason -> recipients.markFailed(
                    b.orgId(), BroadcastRecipients.recipientId(b.id(), n), PERSONALIZATION_INVALID, reason));
        }
    }

    /** The error code of a recipient whose personalized message Meta would refuse. */
    static final String PERSONALIZATION_INVALID = "personalization_invalid";

    /** How far ahead a broadcast may be scheduled. */
    static final Duration MAX_SCHEDULE = Duration.ofDays(90);

    /**
     * {@code sendAt}: an ISO-8601 instant with an offset, at most {@link #MAX_SCHEDULE} ahead; one in the past (a
     * clock a little behind) starts now. Null: now.
     */
    private static Instant sendAt(String value) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(
                    "sendAt",
                    "sendAt must be an ISO-8601 date and time with an offset, e.g. 2026-12-24T09:00:00+08:00");
        }
        if (at.isAfter(Instant.now().plus(MAX_SCHEDULE))) {
            throw ApiException.invalid("sendAt", "sendAt may be at most " + MAX_SCHEDULE.toDays() + " days ahead");
        }
        return at.isBefore(Instant.now()) ? Instant.now() : at;
    }

    private static List<String> customerIds(List<String> ids, String field) {
        if (ids == null) {
            return null;
        }
        if (ids.isEmpty() || ids.size() > MAX_CUSTOMER_IDS) {
            throw ApiException.invalid(field, field + " must have 1 to " + MAX_CUSTOMER_IDS + " ids");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            distinct.add(Require.text(ids.get(i), field + "[" + i + "]", MAX_ID));
        }
        return new ArrayList<>(distinct);
    }

    /**
     * Waits (bounded by {@code rh.broadcasts.sync-wait}) until every recipient was attempted: accepted, failed,
     * unknown, or queued for a retry. This node's attempts wake it at once, and it reads the database when they
     * add up to what was left; recipients that another node sends are seen by a slower poll.
     */
    private void waitForAttempts(Broadcast broadcast) {
        Instant deadline = Instant.now().plus(syncWait);
        Broadcasts.Sender sender = orgs.channelOrDefault(broadcast.orgId(), broadcast.channelId())
                .map(channel -> new Broadcasts.Sender(channel.orgId(), channel.id(), channel.isDefault()))
                .orElse(new Broadcasts.Sender(broadcast.orgId(), null, true));
        try (BroadcastAttempts.Watch watch = dispatcher.watch(broadcast.orgId())) {
            int left;
            while ((left = recipients.dueOrSending(broadcast.orgId(), broadcast.id())) > 0
                    && Instant.now().isBefore(deadline)) {
                dispatcher.wake(sender);
                Duration untilDeadline = Duration.between(Instant.now(), deadline);
                watch.await(left, untilDeadline.compareTo(OTHER_NODES_POLL) < 0 ? untilDeadline : OTHER_NODES_POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<MessageRecord> records(Broadcast broadcast, Org org) {
        List<MessageRecord> records = new ArrayList<>();
        String cursor = null;
        List<Message> page;
        do {
            page = recipients.ofBroadcast(broadcast.orgId(), broadcast.id(), cursor, 500);
            page.forEach(m -> records.add(MessageRecord.of(m, org.zone())));
            cursor = page.isEmpty() ? null : page.getLast().id();
        } while (page.size() == 500);
        return records;
    }

    BroadcastProgress progress(Broadcast b) {
        Map<String, Long> counts = recipients.statusCounts(b.orgId(), b.id(), Broadcasts.RATE_WINDOW_SECONDS);
        long sent = count(counts, "accepted", "sent", "delivered", "read");
        long failed = count(counts, "failed");
        long pending = count(counts, "queued", "sending");
        long unknown = count(counts, "unknown");
        double rate = b.ended() ? 0 : count(counts, "attempted_recently") / (double) Broadcasts.RATE_WINDOW_SECONDS;
        return new BroadcastProgress(
                b.id(),
                b.orgId(),
                b.templateName(),
                b.language(),
                b.status(),
                b.total(),
                sent,
                failed,
                pending,
                unknown,
                rate,
                Broadcasts.RATE_WINDOW_SECONDS,
                b.createdAt(),
                b.finishedAt(),
                "/whatsapp/template/broadcasts/" + b.id() + "/messages",
                b.channelId(),
                b.sendAt(),
                b.pausedReason(),
                count(counts, "cancelled"));
    }

    private static long count(Map<String, Long> counts, String... statuses) {
        long n = 0;
        for (String s : statuses) {
            n += counts.getOrDefault(s, 0L);
        }
        return n;
    }
}
