package com.replyhero.whatsapp.messages.read;

import com.replyhero.whatsapp.cloudapi.CloudApi;
import com.replyhero.whatsapp.messages.InboundMessages;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.store.Messages;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Tells Meta that a customer's message was read (two blue ticks for the customer, and for Meta every earlier message
 * of the conversation too), optionally with the typing indicator, and records it on the message.
 */
@Service
class ReadReceipts {

    private final Messages messages;
    private final InboundMessages inbound;
    private final Orgs orgs;
    private final CloudApi cloudApi;

    ReadReceipts(Messages messages, InboundMessages inbound, Orgs orgs, CloudApi cloudApi) {
        this.messages = messages;
        this.inbound = inbound;
        this.orgs = orgs;
        this.cloudApi = cloudApi;
    }

    /**
     * Marks the org's customer message named by our id or its wamid read: 404 for a message of another org (as for
     * none), 400 {@code not_inbound} for one of the org's own messages (Meta only takes receipts for what customers
     * sent).
     */
    void markRead(String orgId, String reference, boolean typing) {
        Message message = find(orgId, reference).orElseThrow(() -> ApiException.notFound("message", "id"));
        if (!message.messageType().equals("user") || message.wamid() == null) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST,
                    "not_inbound",
                    "only a customer's message can be marked read; this one was sent by the org",
                    "id");
        }
        markRead(message, typing);
    }

    /** Marks a stored customer message read on WhatsApp (from the number it came in on), and records that it was. */
    void markRead(Message message, boolean typing) {
        Channel channel =
                orgs.channelOrDefault(message.orgId(), message.channelId()).orElseThrow(Channel::notConfigured);
        cloudApi.markRead(channel, message.wamid(), typing);
        inbound.markedRead(message.orgId(), message.id());
    }

    /**
     * Our id, or a wamid; a wamid cannot carry {@code /} in a path, so one written in base64url ({@code -} and
     * {@code _} for {@code +} and {@code /}, which a wamid's standard base64 never has) is read as the wamid.
     */
    private Optional<Message> find(String orgId, String reference) {
        Optional<Message> found = messages.findByIdOrWamid(orgId, reference);
        if (found.isEmpty()
                && reference.startsWith("wamid.")
                && (reference.indexOf('_') >= 0 || reference.indexOf('-') >= 0)) {
            found = messages.findByIdOrWamid(orgId, reference.replace('-', '+').replace('_', '/'));
        }
        return found;
    }
}
