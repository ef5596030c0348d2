package com.replyhero.whatsapp.idempotency;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.ScopeCheck;
import com.replyhero.whatsapp.web.Access;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.BodyTooLargeException;
import com.replyhero.whatsapp.web.BufferedRequest;
import com.replyhero.whatsapp.web.CanonicalPath;
import com.replyhero.whatsapp.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.ServletRequestPathUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Idempotency-Key} on every POST of the org and operator APIs (SPEC §4): the first request with a key runs
 * and its answer is kept for a day ({@link IdempotencyRecords}); a repeat with the same method, path and body gets
 * that answer again (header {@code Idempotency-Replayed: true}) and changes nothing; the same key with another
 * request is 422 {@code idempotency_key_reused}; while the first still runs, 409 {@code request_in_progress}. Keys
 * are per org and per principal ({@link KeySpace}): the org's API keys and the operator never share one. An
 * answer of 5xx is not kept, so the request can be tried again. Sends and template sends keep their keys on the
 * message and the broadcast (they survive a crash mid-send), and multipart uploads hash their file
 * themselves, so they are left to their controllers. A replay never shows a secret again: a kept answer's
 * top-level {@code key} and {@code secret} are replaced by null (an API key is shown once).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20) // after the API key and admin token filters: it needs the caller's org
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    private static final Set<String> OWN_KEYS = Set.of("/whatsapp/messages/send", "/whatsapp/template/send");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final Pattern ADMIN_ORG = Pattern.compile("^/admin/orgs/([^/]+)/");
    private static final String CALLER = Caller.class.getName();

    private final IdempotencyRecords records;
    private final JsonMapper json;
    private final RequestMappingHandlerMapping handlers;

    IdempotencyFilter(
            IdempotencyRecords records,
            JsonMapper json,
            @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping handlers) {
        this.records = records;
        this.json = json;
        this.handlers = handlers;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        String contentType = request.getContentType();
        return !"POST".equals(request.getMethod())
                || request.getHeader(HEADER) == null
                || OWN_KEYS.contains(path)
                || !(path.startsWith("/whatsapp/") || path.startsWith("/admin/"))
                || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER).strip();
        if (!validKey(key)) {
            error(response, 400, "invalid_request", "Idempotency-Key must be 1 to 255 visible ASCII characters");
            return;
        }
        Optional<KeySpace> space = keySpace(request);
        if (space.isEmpty()) {
            chain.doFilter(request, response); // not authenticated: the request is refused further on anyway
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
        try {
            // a replay answers for the handler without running it: the key must hold the handler's scope first
            ScopeCheck.require(request, handler(request));
        } catch (ApiException e) {
            ErrorResponses.write(response, json, e.toError());
            return;
        }
        byte[] hash = hash(request, body);
        UUID owner = UUID.randomUUID(); // this request's hold on the key: a late one that lost it changes nothing
        Optional<IdempotencyRecords.Record> earlier = records.begin(space.get(), key, hash, owner);
        if (earlier.isPresent()) {
            answerAgain(earlier.get(), hash, response);
            return;
        }
        ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(new BufferedRequest(request, body), answer);
        } catch (IOException | ServletException | RuntimeException e) {
            records.release(space.get(), key, owner);
            throw e;
        }
        if (answer.getStatus() >= 500 || answer.getStatus() == 401 || answer.getStatus() == 403) {
            // a refusal for who asked is not the request's answer: kept, it would be replayed to a key allowed to run
            // it
            records.release(space.get(), key, owner);
        } else {
            records.complete(
                    space.get(),
                    key,
                    owner,
                    answer.getStatus(),
                    answer.getContentType(),
                    withoutSecrets(answer.getContentAsByteArray()));
        }
        answer.copyBodyToResponse();
    }

    /** 1 to 255 visible ASCII characters. */
    public static boolean validKey(String key) {
        return KEY.matcher(key).matches();
    }

    private void answerAgain(IdempotencyRecords.Record earlier, byte[] hash, HttpServletResponse response)
            throws IOException {
        if (!MessageDigest.isEqual(earlier.requestHash(), hash)) {
            error(response, 422, "idempotency_key_reused", "this Idempotency-Key was used with a different request");
            return;
        }
        if (earlier.status() == null) {
            inProgress(response);
            return;
        }
        response.setStatus(earlier.status());
        response.setHeader("Idempotency-Replayed", "true");
        if (earlier.contentType() != null) {
            response.setContentType(earlier.contentType());
        }
        if (earlier.body() != null) {
            response.getOutputStream().write(earlier.body());
        }
    }

    private void inProgress(HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "1");
        error(
                response,
                409,
                "request_in_progress",
                "a request with this Idempotency-Key is still being processed; retry shortly");
    }

    private void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        ErrorResponses.write(response, json, new ApiError(status, code, message, HEADER, null, null));
    }

    /**
     * Whose keys the request's key is among: the API keys of the caller's org, or the operator's for the path's org
     * ({@code ""} for requests about no single org). Never the same space for both: an org cannot use up a key
     * that the operator then sends for it, nor the other way round.
     */
    /** The handler Spring MVC matches for this request (null when none). */
    private Object handler(HttpServletRequest request) {
        boolean parsed = ServletRequestPathUtils.hasParsedRequestPath(request);
        if (!parsed) {
            ServletRequestPathUtils.parseAndCache(request);
        }
        try {
            HandlerExecutionChain chain = handlers.getHandler(request);
            return chain == null ? null : chain.getHandler();
        } catch (Exception e) {
            return null;
        } finally {
            if (!parsed) {
                ServletRequestPathUtils.clearParsedRequestPath(request);
            }
        }
    }

    private static Optional<KeySpace> keySpace(HttpServletRequest request) {
        if (request.getAttribute(CALLER) instanceof Caller caller) {
            return Optional.of(KeySpace.apiKeysOf(caller.orgId()));
        }
        if (Access.granted(request, Access.OPERATOR)) {
            Matcher org = ADMIN_ORG.matcher(path(request));
            return Optional.of(KeySpace.operatorFor(org.find() ? org.group(1) : ""));
        }
        return Optional.empty();
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

    private static byte[] hash(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String query = request.getQueryString() == null ? "" : request.getQueryString();
            digest.update(
                    (request.getMethod() + " " + path(request) + "?" + query + "\n").getBytes(StandardCharsets.UTF_8));
            return digest.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(HttpServletRequest request) {
        return CanonicalPath.of(request);
    }
}
