package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.web.ApiException;

/** WhatsApp numbers as Meta's {@code wa_id}: the digits of E.164, country code first, no '+'. */
public final class Phone {

    private Phone() {}

    /** Accepts "+60 12-345 6789" and the like; answers "60123456789" or refuses with the field named. */
    public static String normalize(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.missing(field);
        }
        String digits = raw.strip();
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        digits = digits.replaceAll("[\\s\\-().]", "");
        if (!digits.matches("[1-9][0-9]{6,14}")) {
            throw ApiException.invalid(
                    field, field + " must be a phone number in international form, e.g. 60123456789");
        }
        return digits;
    }
}
