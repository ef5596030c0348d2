package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.web.Access;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Makes the {@link IdempotentRequest} of a request, for the filter and for the operations that take one. */
@Component
public class IdempotentRequests {

    private static final String CALLER = Caller.class.getName();

    private final IdempotencyRecords records;
    private final JsonMapper json;

    IdempotentRequests(IdempotencyRecords records, JsonMapper json) {
        this.records = records;
        this.json = json;
    }

    /**
     * The request with its key (400 when the key is malformed), for the operation matched with these path
     * variables; empty when the request is not authenticated (it is refused further on anyway).
     */
    Optional<IdempotentRequest> of(
            HttpServletRequest request, HttpServletResponse response, Map<String, String> pathVariables) {
        String key = IdempotentRequest.keyOf(request.getHeader(IdempotentRequest.HEADER));
        return keySpace(request, pathVariables)
                .map(space -> new IdempotentRequest(key, space, response, records, json));
    }

    /**
     * The request of a caller that is not an API key's (the console's signed-in user acts as its org's caller): its
     * key (a form's one-time token; null: none) is among the org's API keys' keys, as the API's sends are.
     */
    public IdempotentRequest of(Caller caller, String key, HttpServletResponse response) {
        return new IdempotentRequest(
                IdempotentRequest.keyOf(key), KeySpace.apiKeysOf(caller.orgId()), response, records, json);
    }

    /**
     * Whose keys the request's key is among: the API keys of the caller's org, or the operator's for the org the
     * operation is about (its {@code orgId} path variable; {@code ""} for operations about no single org). Never
     * the same space for both: an org cannot use up a key that the operator then sends for it, nor the other way.
     */
    private static Optional<KeySpace> keySpace(HttpServletRequest request, Map<String, String> pathVariables) {
        if (request.getAttribute(CALLER) instanceof Caller caller) {
            return Optional.of(KeySpace.apiKeysOf(caller.orgId()));
        }
        if (Access.granted(request, Access.OPERATOR)) {
            return Optional.of(KeySpace.operatorFor(pathVariables.getOrDefault("orgId", "")));
        }
        return Optional.empty();
    }
}
