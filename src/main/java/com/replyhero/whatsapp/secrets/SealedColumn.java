package com.replyhero.whatsapp.secrets;

/**
 * A column holding sealed secrets, kept by the repository that owns its table: the pass at start walks it in key
 * order and moves every value to the current key (values in clear from older versions included).
 */
public interface SealedColumn {

    /** The table and column, e.g. {@code channels.access_token}. */
    String name();

    /**
     * Re-seals under the current key up to {@code limit} values that are not sealed under it, the first ones after
     * {@code after} (null: from the start) in the table's key order. Each write is conditional on the value read,
     * so a value changed meanwhile (by the API, by another node) is left to its writer.
     */
    Batch resealAfter(Position after, int limit);

    /** A row's key: the org and, for tables with more than one row per org, the row's name. */
    record Position(String orgId, String name) {}

    /** What a batch did; {@code last} is null when there was nothing left to look at. */
    record Batch(Position last, int resealed, int unreadable) {}
}
