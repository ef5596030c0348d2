package com.replyhero.whatsapp.messages;

/** A customer's message was stored (once per wamid); published inside the storing transaction. */
public record MessageReceived(Message message) {}
