package com.replyhero.whatsapp.secrets;

import com.replyhero.whatsapp.web.ApiException;
import org.springframework.http.HttpStatus;

/**
 * A sealed value that does not open: sealed under a key the gateway was not given, altered, or moved from
 * another row. The message names the column and the key id, never the value.
 */
public class SecretUnreadableException extends ApiException {

    SecretUnreadableException(String message) {
        super(HttpStatus.INTERNAL_SERVER_ERROR, "secret_unreadable", message, null);
    }
}
