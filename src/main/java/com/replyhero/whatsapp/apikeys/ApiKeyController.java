package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API keys: the org's own ({@code /whatsapp/api-keys}) and the operator's ({@code /admin/orgs/{orgId}/api-keys}). */
@RestController
class ApiKeyController {

    private final ApiKeys apiKeys;
    private final Orgs orgs;

    ApiKeyController(ApiKeys apiKeys, Orgs orgs) {
        this.apiKeys = apiKeys;
        this.orgs = orgs;
    }

    @Schema(description = "A new key. Without scopes the key gets all four: send, read, manage_keys, manage_templates.")
    record CreateApiKeyRequest(
            @Schema(example = "ci") String name,

            @Schema(
                    description = "What the key may do: send, read, manage_keys, manage_templates (default: all four)."
                            + " A key may only make keys with scopes it holds itself.",
                    example = "[\"send\", \"read\"]")
            List<String> scopes) {}

    @Schema(description = "A new key, made by the operator: scopes as for the org, and its own rate limit.")
    record AdminCreateApiKeyRequest(
            @Schema(example = "ci") String name,

            @Schema(description = "send, read, manage_keys, manage_templates (default: all four)")
            List<String> scopes,

            @Schema(
                    description = "Requests per second for this key (default: rh.rate-limit.per-key-per-second)",
                    example = "50")
            Integer rateLimitPerSecond) {}

    @Idempotent
    @PostMapping("/whatsapp/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @RequiresScope(Scope.MANAGE_KEYS)
    @Operation(
            summary = "Create an API key for the caller's org; the key is shown only in this answer",
            description =
                    "Needs the manage_keys scope. Without scopes the key gets all four (send, read,"
                            + " manage_keys, manage_templates); a key may only make keys with scopes it holds itself (403 insufficient_scope).")
    ApiKeys.CreatedApiKey create(Caller caller, @RequestBody(required = false) CreateApiKeyRequest request) {
        Set<Scope> scopes = scopes(request == null ? null : request.scopes());
        scopes.forEach(caller::requireScope);
        return apiKeys.create(caller.orgId(), name(request == null ? null : request.name()), scopes, null);
    }

    @GetMapping("/whatsapp/api-keys")
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @RequiresScope(Scope.MANAGE_KEYS)
    @Operation(summary = "List the org's API keys (hints, scopes, last use; never the keys)")
    Page<ApiKeys.ApiKeyView> list(Caller caller, @RequestParam(required = false) Integer limit) {
        return Page.of(apiKeys.list(caller.orgId(), Page.limit(limit, 100, 1000)));
    }

    @DeleteMapping("/whatsapp/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @RequiresScope(Scope.MANAGE_KEYS)
    @Operation(summary = "Revoke an API key; it stops working at once, on every node")
    void revoke(Caller caller, @PathVariable String id) {
        if (!apiKeys.revoke(caller.orgId(), id)) {
            throw ApiException.notFound("api_key", "id");
        }
    }

    @Idempotent
    @PostMapping("/admin/orgs/{orgId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "Create an API key for an org (its first one, typically)")
    ApiKeys.CreatedApiKey adminCreate(
            @PathVariable String orgId, @RequestBody(required = false) AdminCreateApiKeyRequest request) {
        orgs.get(orgId);
        Integer limit = request == null ? null : request.rateLimitPerSecond();
        if (limit != null && (limit < 1 || limit > 100_000)) {
            throw ApiException.invalid("rateLimitPerSecond", "rateLimitPerSecond must be between 1 and 100000");
        }
        return apiKeys.create(
                orgId,
                name(request == null ? null : request.name()),
                scopes(request == null ? null : request.scopes()),
                limit);
    }

    @GetMapping("/admin/orgs/{orgId}/api-keys")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "List an org's API keys (hints only)")
    Page<ApiKeys.ApiKeyView> adminList(@PathVariable String orgId, @RequestParam(required = false) Integer limit) {
        orgs.get(orgId);
        return Page.of(apiKeys.list(orgId, Page.limit(limit, 100, 1000)));
    }

    private static String name(String name) {
        return name == null ? "default" : Require.text(name, "name", 100);
    }

    /** Absent: all scopes. Present: known names, at least one. */
    private static Set<Scope> scopes(List<String> names) {
        if (names == null) {
            return Scope.all();
        }
        if (names.isEmpty()) {
            throw ApiException.invalid(
                    "scopes", "scopes must name at least one of send, read, manage_keys, manage_templates");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            scopes.add(Scope.of(name)
                    .orElseThrow(() -> ApiException.invalid(
                            "scopes", "unknown scope; the scopes are send, read, manage_keys, manage_templates")));
        }
        return scopes;
    }
}
