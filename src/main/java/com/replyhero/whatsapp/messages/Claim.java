package com.replyhero.whatsapp.messages;

import java.time.OffsetDateTime;

/**
 * A queued message claimed by this node, with the number it goes to (null when the customer is gone) and the
 * end of the claim's lease, which also identifies the claim: a later claim by another node has another.
 */
public record Claim(Message message, String phone, OffsetDateTime leaseUntil) {}
