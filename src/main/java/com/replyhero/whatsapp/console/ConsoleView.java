package com.replyhero.whatsapp.console;

/** What every console page's frame shows: who is signed in and which areas they may open. */
public record ConsoleView(ConsoleUser user, boolean operator) {

    public boolean signedIn() {
        return user != null || operator;
    }

    public boolean admin() {
        return user != null && user.admin();
    }

    public String displayName() {
        return operator
                ? "Operator"
                : user == null ? "" : user.name() + " (" + user.role().value() + ")";
    }
}
