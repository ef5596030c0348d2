/** The conversation history: the API's pages, and the console inbox's reads ({@link ConversationMessages}). */
@NamedInterface("history")
package com.replyhero.whatsapp.messages.history;

import org.springframework.modulith.NamedInterface;
