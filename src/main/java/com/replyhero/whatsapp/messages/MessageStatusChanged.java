package com.replyhero.whatsapp.messages;

import java.util.List;

/**
 * Messages whose status moved (Meta's status, an outcome, a presumed failure), as stored now; published inside the
 * updating transaction. Several at once when one statement moved several (a webhook's batch of statuses).
 */
public record MessageStatusChanged(List<Message> messages) {

    public MessageStatusChanged(Message message) {
        this(List.of(message));
    }
}
