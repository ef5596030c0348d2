/**
 * Sending a message: the API's endpoint and the one send service ({@link MessageSender}) that the console's reply box
 * calls too, with the request record it reads.
 */
@NamedInterface("send")
package com.replyhero.whatsapp.messages.send;

import org.springframework.modulith.NamedInterface;
