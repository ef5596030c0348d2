package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.web.ApiError;

/** How a send request ended, for the controller to answer with. */
public sealed interface SendOutcome {

    /** Meta accepted the message (200), or it waits in the durable queue for a retry (202). */
    record Stored(boolean queued, MessageRecord record) implements SendOutcome {}

    /** The message failed, or its outcome is unknown; the error names the message id. */
    record Failed(ApiError error) implements SendOutcome {}
}
