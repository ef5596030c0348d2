package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request to an {@link com.replyhero.whatsapp.web.Idempotent} operation, and the one place of the
 * Idempotency-Key protocol (SPEC §4): the key (1 to 255 visible ASCII characters, else 400), whose keys it is among
 * ({@link KeySpace}: per org and per principal), and what a repeat gets: 422 {@code idempotency_key_reused} when the
 * first request with the key was another one, 409 {@code request_in_progress} with {@code Retry-After} while the
 * first still runs, else the first one's answer marked {@code Idempotency-Replayed: true}. Operations that keep the
 * key on what they make take it as a parameter; the others' answers are kept by {@link IdempotencyFilter}.
 */
public final class IdempotentRequest {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotency-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final String key;
    private final KeySpace space;
    private final HttpServletResponse response;
    private final IdempotencyRecords records;
    private final JsonMapper json;
    // this request's hold on its record: a late request that lost it changes nothing
    private final UUID owner = UUID.randomUUID();

    /** {@code key}: as {@link #keyOf} read it. */
    IdempotentRequest(
            String key, KeySpace space, HttpServletResponse response, IdempotencyRecords records, JsonMapper json) {
        this.key = key;
        this.space = space;
        this.response = response;
        this.records = records;
        this.json = json;
    }

    /** The key of the header's value (null without one): 400 unless it is 1 to 255 visible ASCII characters. */
    static String keyOf(String header) {
        if (header == null) {
            return null;
        }
        String key = header.strip();
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid(HEADER, "Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        return key;
    }

    /** The request's key; empty when it came without one. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** The hash of a request as the operation read it (its JSON). */
    public byte[] hashOf(Object request) {
        return RequestHash.of(json.writeValueAsBytes(request));
    }

    /**
     * The key was used before, by a request with {@code firstHash}: refuses another request (422) and a repeat
     * while the first still runs (409); else this request is a repeat, answered with the first one's outcome.
     */
    public void repeats(byte[] firstHash, boolean firstStillRunning, byte[] hash) {
        if (!MessageDigest.isEqual(firstHash, hash)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with a different request",
                    HEADER);
        }
        if (firstStillRunning) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    "request_in_progress",
                    "a request with this Idempotency-Key is still being processed; retry shortly",
                    HEADER,
                    1);
        }
        response.setHeader(REPLAYED, "true");
    }

    /**
     * Runs the operation once per key, its answer kept in the idempotency records ({@code keep} makes it bytes,
     * {@code replay} an answer again); without a key, simply runs it. A failed operation frees the key.
     */
    public <T> T once(byte[] hash, Supplier<T> operation, Function<T, String> keep, Function<String, T> replay) {
        if (key == null) {
            return operation.get();
        }
        Optional<IdempotencyRecords.Record> first = claim(hash);
        if (first.isPresent()) {
            return replay.apply(new String(first.get().body(), StandardCharsets.UTF_8));
        }
        try {
            T answer = operation.get();
            keep(200, "text/plain", keep.apply(answer).getBytes(StandardCharsets.UTF_8));
            return answer;
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * Claims the key in the idempotency records: empty means go ahead, then {@link #keep} or {@link #release};
     * otherwise the first request's record, of which this request is a repeat ({@link #repeats}).
     */
    Optional<IdempotencyRecords.Record> claim(byte[] hash) {
        Optional<IdempotencyRecords.Record> first = records.begin(space, key, hash, owner);
        first.ifPresent(r -> repeats(r.requestHash(), r.status() == null, hash));
        return first;
    }

    /** Keeps the answer to be replayed (if this request still holds the key). */
    void keep(int status, String contentType, byte[] body) {
        records.complete(space, key, owner, status, contentType, body);
    }

    /** Frees the key (if this request still holds it): the request failed on our side and may be tried again. */
    void release() {
        records.release(space, key, owner);
    }
}
