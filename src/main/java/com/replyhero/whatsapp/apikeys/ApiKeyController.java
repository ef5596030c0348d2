package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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

    record CreateApiKeyRequest(String name) {}

    @PostMapping("/whatsapp/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Create an API key for the caller's org; the key is shown only in this answer")
    ApiKeys.CreatedApiKey create(Caller caller, @RequestBody(required = false) CreateApiKeyRequest request) {
        return apiKeys.create(caller.orgId(), name(request));
    }

    @GetMapping("/whatsapp/api-keys")
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "List the org's API keys (hints only)")
    Page<ApiKeys.ApiKeyView> list(Caller caller, @RequestParam(required = false) Integer limit) {
        return Page.of(apiKeys.list(caller.orgId(), Page.limit(limit, 100, 1000)));
    }

    @DeleteMapping("/whatsapp/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Tag(name = "API keys")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Revoke an API key; it stops working at once")
    void revoke(Caller caller, @PathVariable String id) {
        if (!apiKeys.revoke(caller.orgId(), id)) {
            throw ApiException.notFound("api_key", "id");
        }
    }

    @PostMapping("/admin/orgs/{orgId}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "Create an API key for an org (its first one, typically)")
    ApiKeys.CreatedApiKey adminCreate(
            @PathVariable String orgId, @RequestBody(required = false) CreateApiKeyRequest request) {
        orgs.get(orgId);
        return apiKeys.create(orgId, name(request));
    }

    @GetMapping("/admin/orgs/{orgId}/api-keys")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "List an org's API keys (hints only)")
    Page<ApiKeys.ApiKeyView> adminList(@PathVariable String orgId, @RequestParam(required = false) Integer limit) {
        orgs.get(orgId);
        return Page.of(apiKeys.list(orgId, Page.limit(limit, 100, 1000)));
    }

    private static String name(CreateApiKeyRequest request) {
        return request == null || request.name() == null ? "default" : Require.text(request.name(), "name", 100);
    }
}
