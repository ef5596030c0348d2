package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.web.ApiException;
import java.util.Set;
import org.springframework.http.HttpStatus;

/** Who is calling the org API: the org, the key that authenticated the request and what that key may do. */
public record Caller(String orgId, String keyId, Set<Scope> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** The request's {@code orgId} must be the key's own org: anything else is 403. */
    public void requireOrg(String requestedOrgId) {
        if (requestedOrgId == null || requestedOrgId.isBlank()) {
            throw ApiException.missing("orgId");
        }
        if (!requestedOrgId.equals(orgId)) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN, "forbidden_org", "this API key may not act for that orgId", "orgId");
        }
    }

    /** 403 {@code insufficient_scope}, naming the scope, when the key lacks it. */
    public void requireScope(Scope scope) {
        if (!scopes.contains(scope)) {
            throw insufficient(scope);
        }
    }

    static ApiException insufficient(Scope scope) {
        return new ApiException(
                HttpStatus.FORBIDDEN,
                "insufficient_scope",
                "this API key lacks the scope " + scope.value(),
                "X-API-KEY");
    }
}
