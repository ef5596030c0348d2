package com.replyhero.whatsapp.console;

import java.io.Serializable;
import org.springframework.security.core.AuthenticatedPrincipal;

/** The operator signed in to the console with the admin token: the operator area, no org's inbox. */
public record Operator() implements AuthenticatedPrincipal, Serializable {

    @Override
    public String getName() {
        return ConsoleSignIn.OPERATOR_NAME;
    }
}
