package com.replyhero.whatsapp.apikeys;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What an API key may do. {@code send}: every call that sends or changes messaging data (messages, templates,
 * uploads, customers, event replays); {@code read}: every read of the org's data; {@code manage_keys}: API keys
 * and the org's event endpoint (which holds a signing secret); {@code manage_templates}: creating, editing and
 * deleting the org's templates at Meta.
 */
public enum Scope {
    SEND("send"),
    READ("read"),
    MANAGE_KEYS("manage_keys"),
    MANAGE_TEMPLATES("manage_templates");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<Scope> of(String value) {
        for (Scope scope : values()) {
            if (scope.value.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** What a key made without scopes gets: everything, so keys made before scopes keep working. */
    public static Set<Scope> all() {
        return EnumSet.allOf(Scope.class);
    }
}
