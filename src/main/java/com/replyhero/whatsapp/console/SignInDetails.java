package com.replyhero.whatsapp.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** What the sign-in form sends besides email and password: the two-factor code, when the user turned it on. */
class SignInDetails extends WebAuthenticationDetails {

    private final String code;

    SignInDetails(HttpServletRequest request) {
        super(request);
        this.code = request.getParameter("code");
    }

    String code() {
        return code;
    }
}
