package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.apikeys.ScopeCheck;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.BodyTooLargeException;
import com.replyhero.whatsapp.web.BufferedRequest;
import com.replyhero.whatsapp.web.CanonicalPath;
import com.replyhero.whatsapp.web.ErrorResponses;
import com.replyhero.whatsapp.web.Idempotent;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the answers of the {@link Idempotent} operations whose outcome the gateway keeps ({@code GATEWAY}): the first
 * request with a key runs and its answer is kept for a day ({@link IdempotencyRecords}); a repeat with the same
 * method, path and body gets that answer again and changes nothing; the rest of the protocol is
 * {@link IdempotentRequest}'s. An answer of 5xx is not kept, so the request can be tried again; nor is a 401 or 403 (a refusal for who asked,
 * not the request's answer), and the key's scope for the operation is checked before a replay. A replay never
 * shows a secret again: a kept answer's top-level {@code key} and {@code secret} are replaced by null (an API key is
 * shown once). The operation is the one the dispatcher will run, asked of its handler mappings.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20) // after the API key and admin token filters: it needs the caller's org
class IdempotencyFilter extends OncePerRequestFilter {

    private final MatchedOperations operations;
    private final IdempotentRequests idempotentRequests;
    private final JsonMapper json;

    IdempotencyFilter(MatchedOperations operations, IdempotentRequests idempotentRequests, JsonMapper json) {
        this.operations = operations;
        this.idempotentRequests = idempotentRequests;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(IdempotentRequest.HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<MatchedOperations.Matched> matched = operations.of(request);
        Idempotent idempotent = matched.map(m -> m.operation().getMethodAnnotation(Idempotent.class))
                .orElse(null);
        if (idempotent == null || idempotent.value() != Idempotent.Keeper.GATEWAY) {
            chain.doFilter(request, response); // the operation keeps its own keys, or takes none
            return;
        }
        Optional<IdempotentRequest> idempotentRequest;
        try {
            idempotentRequest =
                    idempotentRequests.of(request, response, matched.get().pathVariables());
        } catch (ApiException e) {
            ErrorResponses.write(response, json, e);
            return;
        }
        if (idempotentRequest.isEmpty()) {
            chain.doFilter(request, response); // not authenticated: the request is refused further on anyway
            return;
        }
        try {
            // a replay answers for the operation without running it: the key must hold the operation's scope first
            ScopeCheck.require(request, matched.get().operation());
        } catch (ApiException e) {
            ErrorResponses.write(response, json, e);
            return;
        }
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes(); // bounded by BodyLimitFilter (64 KB to 1 MB)
        } catch (BodyTooLargeException e) {
            response.setHeader("Connection", "close");
            ErrorResponses.write(response, json, e.toError());
            return;
        }
        run(idempotentRequest.get(), hash(request, body), new BufferedRequest(request, body), response, chain);
    }

    private void run(
            IdempotentRequest idempotent,
            byte[] hash,
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain)
            throws ServletException, IOException {
        Optional<IdempotencyRecords.Record> first;
        try {
            first = idempotent.claim(hash);
        } catch (ApiException e) {
            ErrorResponses.write(response, json, e);
            return;
        }
        if (first.isPresent()) {
            answerAgain(first.get(), response);
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, answer);
        } catch (IOException | ServletException | RuntimeException e) {
            idempotent.release();
            throw e;
        }
        if (answer.getStatus() >= 500 || answer.getStatus() == 401 || answer.getStatus() == 403) {
            // a refusal for who asked is not the request's answer: kept, it would be replayed to a key allowed to run
            // it
            idempotent.release();
        } else {
            idempotent.keep(
                    answer.getStatus(), answer.getContentType(), withoutSecrets(answer.getContentAsByteArray()));
        }
        answer.copyBodyToResponse();
    }

    private static void answerAgain(IdempotencyRecords.Record first, HttpServletResponse response) throws IOException {
        response.setStatus(first.status());
        if (first.contentType() != null) {
            response.setContentType(first.contentType());
        }
        if (first.body() != null) {
            response.getOutputStream().write(first.body());
        }
    }

    private byte[] withoutSecrets(byte[] body) {
        try {
            JsonNode answer = json.readTree(body);
            if (answer instanceof ObjectNode object && (object.has("key") || object.has("secret"))) {
                if (object.has("key")) {
                    object.putNull("key");
                }
                if (object.has("secret")) {
                    object.putNull("secret");
                }
                return json.writeValueAsBytes(object);
            }
        } catch (JacksonException e) {
            // not JSON: kept as it is
        }
        return body;
    }

    /** The request as the gateway sees it: method, path, query and body. */
    private static byte[] hash(HttpServletRequest request, byte[] body) {
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        return RequestHash.start()
                .add(request.getMethod() + " " + CanonicalPath.of(request) + "?" + query + "\n")
                .add(body)
                .finish();
    }
}
