package com.replyhero.whatsapp.media;

import com.replyhero.whatsapp.media.MediaProviders.MediaProvider;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator sets an org's media providers: the {@code provider} a media {@code link} names, i.e. the
 * headers (e.g. {@code Authorization: Bearer ...}) the gateway sends when it downloads such a link.
 */
@RestController
@RequestMapping("/admin/orgs/{orgId}/media-providers")
@Tag(name = "Admin: media providers", description = "Operator API, Authorization: Bearer <admin token>")
@SecurityRequirement(name = "adminToken")
class MediaProviderAdminController {

    private static final Set<String> RESTRICTED =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    record ProviderRequest(Map<String, String> headers) {}

    /** A provider as shown back: header names only, never their values. */
    record ProviderView(String name, List<String> headerNames) {
        static ProviderView of(MediaProvider p) {
            return new ProviderView(p.name(), List.copyOf(p.headers().keySet()));
        }
    }

    private final MediaProviders providers;
    private final Orgs orgs;

    MediaProviderAdminController(MediaProviders providers, Orgs orgs) {
        this.providers = providers;
        this.orgs = orgs;
    }

    @PutMapping("/{name}")
    @Operation(
            summary = "Create or replace a media provider",
            description = "Body: {\"headers\": {\"Authorization\": \"Bearer ...\"}}. A send with"
                    + " {\"link\": ..., \"provider\": name} makes the gateway download the link with these headers"
                    + " (sent only to the link's own host, not after a redirect to another one), check it, upload"
                    + " it and send it by id.")
    ProviderView save(@PathVariable String orgId, @PathVariable String name, @RequestBody ProviderRequest request) {
        orgs.get(orgId);
        String providerName = Require.text(name, "name", 100);
        if (request.headers() == null || request.headers().isEmpty()) {
            throw ApiException.missing("headers");
        }
        if (request.headers().size() > 20) {
            throw ApiException.invalid("headers", "at most 20 headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((header, value) -> {
            if (header == null || !header.matches("[A-Za-z0-9-]{1,100}")) {
                throw ApiException.invalid("headers", "header names are letters, digits and '-'");
            }
            if (RESTRICTED.contains(header.toLowerCase(Locale.ROOT))) {
                throw ApiException.invalid("headers", header + " cannot be set");
            }
            if (value == null || value.length() > 8192 || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
                throw ApiException.invalid(
                        "headers." + header,
                        "a header value is at most 8192 visible ASCII characters and spaces (no line breaks, control"
                                + " or non-ASCII characters)");
            }
            headers.put(header, value);
        });
        return ProviderView.of(providers.save(new MediaProvider(orgId, providerName, headers)));
    }

    @GetMapping
    @Operation(summary = "The org's media providers (header names only)")
    Page<ProviderView> list(@PathVariable String orgId) {
        orgs.get(orgId);
        return Page.of(providers.list(orgId).stream().map(ProviderView::of).toList());
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a media provider")
    void delete(@PathVariable String orgId, @PathVariable String name) {
        orgs.get(orgId);
        if (!providers.delete(orgId, name)) {
            throw ApiException.notFound("media_provider", "name");
        }
    }
}
