package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageReceived;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.messages.MessageStatusChanged;
import com.replyhero.whatsapp.orgs.Orgs;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns message changes into events for the org's backend, in the transaction that made the change:
 * {@code message.received} (the seed's message record, plus {@code content}: Meta's message object as
 * received, and {@code mediaUrl} for media) and {@code message.status} (the record with its new status and,
 * when failed, Meta's error code and text). Their subject is the customer: the events of one conversation
 * arrive in order, different customers' in parallel.
 */
@Component
class MessageEventsListener {

    static final Set<String> MEDIA_KINDS = Set.of("image", "document", "video", "audio", "sticker");

    private final OrgEvents events;
    private final Orgs orgs;
    private final JsonMapper json;

    MessageEventsListener(OrgEvents events, Orgs orgs, JsonMapper json) {
        this.events = events;
        this.orgs = orgs;
        this.json = json;
    }

    @EventListener
    void on(MessageReceived received) {
        Message m = received.message();
        ObjectNode data = record(m);
        data.set("content", m.content());
        String mediaId = m.content().path(m.kind()).path("id").asString(null);
        if (MEDIA_KINDS.contains(m.kind()) && mediaId != null) {
            data.put("mediaId", mediaId);
            data.put("mediaUrl", "/whatsapp/media/" + mediaId);
        }
        events.publish(m.orgId(), OrgEvents.MESSAGE_RECEIVED, m.customerId(), data);
    }

    /** One statement per org however many changed: a webhook's batch of statuses, a sweep's presumed failures. */
    @EventListener
    void on(MessageStatusChanged changed) {
        Map<String, List<Message>> byOrg = new LinkedHashMap<>();
        changed.messages()
                .forEach(m ->
                        byOrg.computeIfAbsent(m.orgId(), o -> new ArrayList<>()).add(m));
        byOrg.forEach((orgId, messages) -> {
            if (!events.hasWebhook(orgId)) {
                return; // nothing to build: no event is kept for an org without a webhook
            }
            ZoneId zone = orgs.get(orgId).zone();
            events.publishAll(
                    orgId,
                    OrgEvents.MESSAGE_STATUS,
                    messages.stream()
                            .map(m -> new OrgEvents.Subjected(m.customerId(), record(m, zone)))
                            .toList());
        });
    }

    private ObjectNode record(Message m) {
        return record(m, orgs.get(m.orgId()).zone());
    }

    private ObjectNode record(Message m, ZoneId zone) {
        return (ObjectNode) json.valueToTree(MessageRecord.of(m, zone));
    }
}
