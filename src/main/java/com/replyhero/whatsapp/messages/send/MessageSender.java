package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.Ids;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.cloudapi.GraphSettings;
import com.replyhero.whatsapp.cloudapi.MediaKind;
import com.replyhero.whatsapp.cloudapi.UpstreamFailure;
import com.replyhero.whatsapp.idempotency.IdempotentRequest;
import com.replyhero.whatsapp.media.MediaFile;
import com.replyhero.whatsapp.media.MediaMessages;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageDelivery;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.messages.MessageStatus;
import com.replyhero.whatsapp.messages.retryqueue.RetryQueueSettings;
import com.replyhero.whatsapp.messages.send.OutboundMessages.NewOutbound;
import com.replyhero.whatsapp.messages.send.OutboundMessages.SendContext;
import com.replyhero.whatsapp.messages.send.kinds.Contacts;
import com.replyhero.whatsapp.messages.send.kinds.Interactive;
import com.replyhero.whatsapp.messages.send.kinds.Location;
import com.replyhero.whatsapp.messages.send.kinds.Reaction;
import com.replyhero.whatsapp.messages.send.kinds.ReplyContext;
import com.replyhero.whatsapp.messages.store.Messages;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends a message for an org: checks the request, the org's ids, the message a reaction or a reply names and the
 * 24-hour window, stores the message, calls the Cloud API, stores the outcome. With an Idempotency-Key, a repeated request answers what the
 * first one did and sends nothing again.
 */
@Service
public class MessageSender {

    static final int MAX_TEXT = 4096;
    static final int MAX_ID = 200;
    static final List<String> KINDS = List.of(
            "text",
            "image",
            "document",
            "video",
            "audio",
            "sticker",
            "location",
            "contacts",
            "interactive",
            "reaction");

    private final OutboundMessages outbound;
    private final Orgs orgs;
    private final Messages messages;
    private final MessageDelivery delivery;
    private final JsonMapper json;
    private final MediaMessages media;
    private final Duration sendLease;
    /** How long after its mark a call may still start: half the lease's margin, so it starts well within its lease. */
    private final Duration maxGap;

    MessageSender(
            OutboundMessages outbound,
            Messages messages,
            MessageDelivery delivery,
            JsonMapper json,
            MediaMessages media,
            GraphSettings graph,
            RetryQueueSettings retryQueue,
            Orgs orgs) {
        this.orgs = orgs;
        this.outbound = outbound;
        this.media = media;
        this.messages = messages;
        this.delivery = delivery;
        this.json = json;
        // the lease outlives the Cloud API call: only a sender that died lets it run out
        this.sendLease = graph.requestTimeout().plus(retryQueue.leaseMargin());
        this.maxGap = retryQueue.leaseMargin().dividedBy(2);
    }

    /**
     * A send whose {@code file.data} was spooled to {@code attachment} while the request was read (the API's, and the
     * console's reply box with its signed-in user's caller): 403 without the {@code send} scope.
     */
    public SendOutcome send(
            Caller caller, SendMessageRequest asked, IdempotentRequest idempotency, MediaFile attachment) {
        caller.requireScope(Scope.SEND);
        ObjectNode content = validate(asked, attachment);
        caller.requireOrg(asked.orgId());
        String orgId = caller.orgId();
        // the hash of an Idempotency-Key is the request's as sent: from stays in it, the channel it names beside
        SendMessageRequest request = asked.from() == null
                ? asked
                : asked.fromChannel(orgs.channelIdOf(orgId, asked.channelId(), asked.from()));
        String key = idempotency.key().orElse(null);
        String kind = content.path("type").asString();
        if (key == null && MediaKind.ofMessageType(kind).isEmpty() && !namesAMessage(content)) {
            // nothing to do between the org's checks and the insert: both in one statement
            long marked = System.nanoTime(); // the insert is the durable mark: its lease starts after this instant
            OutboundMessages.Stored stored = outbound.checkAndStore(
                            newOutbound(orgId, request.channelId(), request, content, null, null), sendLease)
                    .orElseThrow(() -> ApiException.notFound("org", "orgId"));
            SendContext context = usable(stored.context(), request.channelId());
            if (stored.message() == null) {
                throw outsideWindow();
            }
            return deliver(stored.message(), context, marked);
        }
        SendContext context = usable(
                outbound.context(orgId, request.userId(), request.customerId(), request.channelId())
                        .orElseThrow(() -> ApiException.notFound("org", "orgId")),
                request.channelId());
        byte[] requestHash = key == null ? null : idempotency.hashOf(request);
        if (key != null) {
            Optional<Message> earlier = messages.findByIdempotencyKey(orgId, key);
            if (earlier.isPresent()) {
                return replay(earlier.get(), idempotency, requestHash, context);
            }
        }
        resolveReferences(content, orgId, request.customerId());
        if (!context.windowOpen()) { // the customer is the org's: usable(context) said so
            throw outsideWindow();
        }
        if (MediaKind.ofMessageType(kind).isPresent()) {
            // bytes and provider links go to the Cloud API first: the message is then sent by media id
            media.prepare(orgId, context.channel(), kind, (ObjectNode) content.get(kind), attachment);
        }
        Message stored;
        long marked = System.nanoTime();
        try {
            stored = outbound.store(
                    newOutbound(orgId, context.channel().id(), request, content, key, requestHash), sendLease);
        } catch (DuplicateKeyException e) {
            // the same Idempotency-Key arrived twice at once: the other request owns the send
            return replay(messages.findByIdempotencyKey(orgId, key).orElseThrow(), idempotency, requestHash, context);
        }
        return deliver(stored, context, marked);
    }

    /** A reaction or a reply names another message: it is looked up before the send is stored. */
    private static boolean namesAMessage(ObjectNode content) {
        return content.has("context") || content.path("type").asString().equals("reaction");
    }

    /**
     * Our id or a wamid, as the caller named the message reacted to or answered, becomes the wamid Meta needs:
     * {@code reaction.message_id} is the wamid (our id beside it as {@code messageId}), {@code context} keeps both.
     */
    private void resolveReferences(ObjectNode content, String orgId, String customerId) {
        if (content.path("type").asString().equals("reaction")) {
            ObjectNode reaction = (ObjectNode) content.get("reaction");
            Message named =
                    referenced(orgId, customerId, reaction.get("message_id").asString(), Reaction.MESSAGE_ID);
            reaction.put("message_id", named.wamid());
            reaction.put("messageId", named.id());
        }
        if (content.has("context")) {
            ObjectNode replyTo = (ObjectNode) content.get("context");
            Message named =
                    referenced(orgId, customerId, replyTo.get("messageId").asString(), ReplyContext.MESSAGE_ID);
            replyTo.put("messageId", named.id());
            replyTo.put("wamid", named.wamid());
        }
    }

    /**
     * The message a reaction or a reply names: the org's (else 404, as if it did not exist), the same customer's,
     * and known to Meta (it has a wamid, which is what Meta is given); else 400 naming {@code field}.
     */
    private Message referenced(String orgId, String customerId, String reference, String field) {
        Message named =
                messages.findByIdOrWamid(orgId, reference).orElseThrow(() -> ApiException.notFound("message", field));
        if (!named.customerId().equals(customerId)) {
            throw ApiException.invalid(field, field + " names a message of another customer than customerId");
        }
        if (named.wamid() == null) {
            throw ApiException.invalid(
                    field,
                    field + " names a message that WhatsApp has not accepted (it has no wamid): nothing to refer to");
        }
        return named;
    }

    private SendOutcome deliver(Message stored, SendContext context, long marked) {
        MessageDelivery.Attempt attempt =
                delivery.attempt(stored, context.channel(), context.customerPhone(), marked, maxGap);
        if (!attempt.recorded()) {
            return new SendOutcome.Failed(unrecorded(attempt));
        }
        return outcome(attempt.message(), context);
    }

    /**
     * The call may have left (or Meta accepted it) but the database failed to record that: 504, never a
     * "database unavailable, retry" that would invite a second send.
     */
    private static ApiError unrecorded(MessageDelivery.Attempt attempt) {
        String id = attempt.message().id();
        String what = attempt.failure() == null
                ? "the WhatsApp Cloud API accepted the message, but the gateway could not record that"
                : "the WhatsApp Cloud API did not answer, and the gateway could not record that";
        return new ApiError(
                UpstreamFailure.OUTCOME_UNKNOWN.status().value(),
                UpstreamFailure.OUTCOME_UNKNOWN.code(),
                what + "; do not send it again yourself: it is resolved by Meta's status webhook"
                        + " (GET /whatsapp/messages/" + id + ")",
                null,
                id,
                new ApiError.Upstream(
                        null,
                        null,
                        null,
                        attempt.failure() == null ? null : attempt.failure().getMessage(),
                        false));
    }

    private static NewOutbound newOutbound(
            String orgId,
            String channelId,
            SendMessageRequest request,
            ObjectNode content,
            String key,
            byte[] requestHash) {
        return new NewOutbound(
                orgId,
                Ids.next(),
                channelId,
                request.customerId(),
                request.userId(),
                request.sessionId(),
                request.messageType() == null ? "human" : request.messageType(),
                content.path("type").asString(),
                content,
                key,
                requestHash);
    }

    /**
     * The context of a send that may go ahead: the user and the customer are the org's, it has the channel named
     * ({@code channelId}: 404 as if it did not exist) or a default one.
     */
    private static SendContext usable(SendContext context, String channelId) {
        if (!context.userExists()) {
            throw ApiException.notFound("user", "userId");
        }
        if (context.customerPhone() == null) {
            throw ApiException.notFound("customer", "customerId");
        }
        if (context.channel() == null) {
            throw channelId == null ? Channel.notConfigured() : Channel.notFound("channelId");
        }
        return context;
    }

    private static ApiException outsideWindow() {
        return new ApiException(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "outside_customer_service_window",
                "the customer has not written to this number in the last 24 hours; free-form messages are allowed"
                        + " only within 24 hours of the customer's last message to the number they are sent from"
                        + " (templates are always allowed; with several numbers, channelId names the one to send from)",
                "customerId");
    }

    /** A repeat of the send that stored {@code earlier}: the first one's outcome, or what the protocol says. */
    private SendOutcome replay(
            Message earlier, IdempotentRequest idempotency, byte[] requestHash, SendContext context) {
        idempotency.repeats(earlier.requestHash(), earlier.status() == MessageStatus.SENDING, requestHash);
        return outcome(earlier, context);
    }

    private SendOutcome outcome(Message message, SendContext context) {
        return switch (message.status()) {
            // queued, or still sending by another node (this sender was held up and did not call): the gateway
            // sends it (202), as the retry queue does
            case QUEUED, SENDING -> new SendOutcome.Stored(true, MessageRecord.of(message, context.zone()));
            case UNKNOWN ->
                new SendOutcome.Failed(new ApiError(
                        UpstreamFailure.OUTCOME_UNKNOWN.status().value(),
                        UpstreamFailure.OUTCOME_UNKNOWN.code(),
                        (message.senderStopped()
                                        ? "the gateway stopped while sending; the message may or may not have left and"
                                                + " is resolved by Meta's status webhook, or sent again by the gateway"
                                                + " when none comes"
                                        : "the WhatsApp Cloud API did not answer; the message may or may not have"
                                                + " been sent and is resolved by Meta's status webhook")
                                + "; do not send it again yourself (GET /whatsapp/messages/" + message.id() + ")",
                        null,
                        message.id(),
                        new ApiError.Upstream(null, null, null, message.errorMessage(), false)));
            case FAILED -> new SendOutcome.Failed(failure(message));
            default -> new SendOutcome.Stored(false, MessageRecord.of(message, context.zone()));
        };
    }

    private static ApiError failure(Message message) {
        String code = message.errorCode() == null ? UpstreamFailure.REJECTED.code() : message.errorCode();
        return new ApiError(
                UpstreamFailure.statusOf(code).value(),
                code,
                "the message was not sent: " + message.errorMessage(),
                null,
                message.id(),
                new ApiError.Upstream(null, message.upstreamCode(), null, message.errorMessage(), false));
    }

    /** Checks the request and answers the {@code message} object as it will be stored. */
    private ObjectNode validate(SendMessageRequest request, MediaFile attachment) {
        if (request.message() == null) {
            throw ApiException.missing("message");
        }
        Require.text(request.sessionId(), "sessionId", MAX_ID);
        Require.text(request.customerId(), "customerId", MAX_ID);
        Require.text(request.userId(), "userId", MAX_ID);
        Require.text(request.orgId(), "orgId", MAX_ID);
        Require.optional(request.channelId(), "channelId", MAX_ID);
        Require.optional(request.from(), "from", 32);
        if (request.messageType() != null
                && !request.messageType().equals("human")
                && !request.messageType().equals("assistant")) {
            throw ApiException.invalid("messageType", "messageType must be human or assistant");
        }
        SendMessageRequest.MessageContent message = request.message();
        String type = Require.text(message.type(), "message.type", 20);
        ObjectNode content = json.createObjectNode();
        content.put("type", type);
        switch (type) {
            case "text" -> {
                if (message.text() == null) {
                    throw ApiException.missing("message.text");
                }
                String body = Require.text(message.text().body(), "message.text.body", MAX_TEXT);
                ObjectNode text = content.putObject("text");
                text.put("body", body);
                if (Boolean.TRUE.equals(message.text().previewUrl())) {
                    text.put("previewUrl", true);
                }
            }
            case "image" -> content.set(type, media.validate(type, message.image(), attachment));
            case "document" -> content.set(type, media.validate(type, message.document(), attachment));
            case "video" -> content.set(type, media.validate(type, message.video(), attachment));
            case "audio" -> content.set(type, media.validate(type, message.audio(), attachment));
            case "sticker" -> content.set(type, media.validate(type, message.sticker(), attachment));
            case "location" -> content.set(type, Location.of(message.location()));
            case "contacts" -> content.set(type, Contacts.of(message.contacts()));
            case "interactive" -> content.set(type, Interactive.of(message.interactive()));
            case "reaction" -> content.set(type, Reaction.of(message.reaction()));
            default ->
                throw ApiException.invalid("message.type", "message.type must be one of " + String.join(", ", KINDS));
        }
        if (message.context() != null && !message.context().isNull()) {
            if (type.equals("reaction")) {
                throw ApiException.invalid(
                        ReplyContext.FIELD,
                        "a reaction names its message in message.reaction.message_id; it takes no message.context");
            }
            content.set("context", ReplyContext.of(message.context()));
        }
        return content;
    }
}
