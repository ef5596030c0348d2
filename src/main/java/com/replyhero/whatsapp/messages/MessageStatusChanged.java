package com.replyhero.whatsapp.messages;

/** Meta's status moved a message forward; published inside the updating transaction. */
public record MessageStatusChanged(Message message) {}
