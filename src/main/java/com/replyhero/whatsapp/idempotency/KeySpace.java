package com.replyhero.whatsapp.idempotency;

/**
 * Whose Idempotency-Keys a key belongs to: an org's API keys share one space, the operator's requests about that
 * org another ({@code orgId ""}: about no single org). The same key in two spaces is two requests.
 */
public record KeySpace(String orgId, Principal principal) {

    /** Who authenticated the request. */
    public enum Principal {
        API_KEY("api_key"),
        OPERATOR("operator");

        private final String value;

        Principal(String value) {
            this.value = value;
        }

        /** As stored in {@code idempotency_records.principal}. */
        public String value() {
            return value;
        }
    }

    /** The keys of the org's API keys (any of them: a client that rotates its key keeps its keys). */
    public static KeySpace apiKeysOf(String orgId) {
        return new KeySpace(orgId, Principal.API_KEY);
    }

    /** The operator's keys for requests about the org. */
    public static KeySpace operatorFor(String orgId) {
        return new KeySpace(orgId, Principal.OPERATOR);
    }
}
