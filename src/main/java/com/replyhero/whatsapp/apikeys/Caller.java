package com.replyhero.whatsapp.apikeys;

import com.replyhero.whatsapp.web.ApiException;
import org.springframework.http.HttpStatus;

/** Who is calling the org API: the org and the key that authenticated the request. */
public record Caller(String orgId, String keyId) {

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
}
