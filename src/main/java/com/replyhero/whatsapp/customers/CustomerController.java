package com.replyhero.whatsapp.customers;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import com.replyhero.whatsapp.web.Require;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Customers: the org's own ({@code /whatsapp/customers}) and the operator's ({@code /admin/orgs/{orgId}/customers}). */
@RestController
class CustomerController {

    private final Customers customers;
    private final Orgs orgs;
    private final CustomerImport imports;

    CustomerController(Customers customers, Orgs orgs, CustomerImport imports) {
        this.customers = customers;
        this.orgs = orgs;
        this.imports = imports;
    }

    record CreateCustomerRequest(
            String phone,
            String name,
            String orgId,
            List<String> tags,
            Map<String, String> attributes,

            @com.fasterxml.jackson.annotation.JsonAnySetter @io.swagger.v3.oas.annotations.media.Schema(hidden = true)
            Map<String, Object> unknownFields) {}

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping(
            value = "/whatsapp/customers/import",
            consumes = {"text/csv", "application/csv"})
    @Tag(name = "Customers")
    @SecurityRequirement(name = "apiKey")
    @Operation(
            summary =
                    "Import customers from a CSV (streamed): phone, name, tags (separated by ;), any attribute column",
            description = "A header row, then a customer a row. phone is required, in any international spelling"
                    + " (+60 12-345 6789), kept as E.164 digits. A new number makes a customer; a known one takes"
                    + " the row's name (when it has one), gains its tags and takes its attributes, so importing the"
                    + " same file again changes nothing. A bad row is reported (line, field, why) and left out; the"
                    + " others are stored in one transaction. The body is UTF-8 unless its Content-Type names another"
                    + " charset, and at most rh.limits.customer-import-body (20 MB): 413 above it.")
    CustomerImport.Report importCsv(Caller caller, jakarta.servlet.http.HttpServletRequest request)
            throws java.io.IOException {
        // the header as sent: the servlet's own encoding is forced to UTF-8 for every request
        String contentType = request.getHeader("Content-Type");
        String charset = contentType == null
                ? null
                : org.springframework.http.MediaType.parseMediaType(contentType).getParameter("charset");
        return imports.read(caller.orgId(), request.getInputStream(), charset == null ? null : unquote(charset));
    }

    record UpdateCustomerRequest(
            Boolean optedOut,
            String name,

            @io.swagger.v3.oas.annotations.media.Schema(
                    description = "optional: the caller's own org (the seed's style)")
            String orgId,

            List<String> tags,
            Map<String, String> attributes,

            @com.fasterxml.jackson.annotation.JsonAnySetter @io.swagger.v3.oas.annotations.media.Schema(hidden = true)
            Map<String, Object> unknownFields) {}

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/customers")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "Customers")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "Create a customer of the caller's org")
    Customer create(Caller caller, @RequestBody CreateCustomerRequest request) {
        if (request.orgId() != null) {
            caller.requireOrg(request.orgId());
        }
        return create(caller.orgId(), request);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/customers")
    @Tag(name = "Customers")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "List the org's customers, oldest first; phone= filters by number prefix, tag= by a tag")
    Page<Customer> list(
            Caller caller,
            @RequestParam(required = false) String phone,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return list(caller.orgId(), phone, tag, cursor, limit);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/customers/{customerId}")
    @Tag(name = "Customers")
    @SecurityRequirement(name = "apiKey")
    @Operation(summary = "One customer of the caller's org")
    Customer get(Caller caller, @PathVariable String customerId) {
        return customers
                .find(caller.orgId(), customerId)
                .orElseThrow(() -> ApiException.notFound("customer", "customerId"));
    }

    @RequiresScope(Scope.SEND)
    @PatchMapping("/whatsapp/customers/{customerId}")
    @Tag(name = "Customers")
    @SecurityRequirement(name = "apiKey")
    @Operation(
            summary = "Opt a customer out of (or back into) template broadcasts, rename them, set tags or attributes",
            description = "optedOut: true leaves the customer out of every later template send to the org's"
                    + " customers (one already under way keeps its recipients); false takes them back in. tags"
                    + " replace the customer's; attributes are merged into theirs (null removes one). Fields not"
                    + " given are left as they are.")
    Customer update(Caller caller, @PathVariable String customerId, @RequestBody UpdateCustomerRequest request) {
        if (request != null && request.orgId() != null) {
            caller.requireOrg(request.orgId());
        }
        // another org's customer is 404 whatever the body holds
        customers.find(caller.orgId(), customerId).orElseThrow(() -> ApiException.notFound("customer", "customerId"));
        if (request != null) {
            Require.noUnknownFields(request.unknownFields(), "", "optedOut, name, tags, attributes, orgId");
        }
        if (request == null
                || (request.optedOut() == null
                        && request.name() == null
                        && request.tags() == null
                        && request.attributes() == null)) {
            throw ApiException.invalid("optedOut", "optedOut, name, tags or attributes is required");
        }
        String name = Require.optional(request.name(), "name", 200);
        List<String> tags = Traits.tags(request.tags(), "tags");
        Map<String, String> attributes = Traits.attributes(request.attributes(), "attributes", true);
        return customers
                .update(caller.orgId(), customerId, request.optedOut(), name, tags, attributes)
                .orElseThrow(() -> ApiException.notFound("customer", "customerId"));
    }

    @Idempotent
    @PostMapping("/admin/orgs/{orgId}/customers")
    @ResponseStatus(HttpStatus.CREATED)
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "Create a customer of an org")
    Customer adminCreate(@PathVariable String orgId, @RequestBody CreateCustomerRequest request) {
        orgs.get(orgId);
        return create(orgId, request);
    }

    @GetMapping("/admin/orgs/{orgId}/customers")
    @Tag(name = "Admin: organizations")
    @SecurityRequirement(name = "adminToken")
    @Operation(summary = "List an org's customers")
    Page<Customer> adminList(
            @PathVariable String orgId,
            @RequestParam(required = false) String phone,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        orgs.get(orgId);
        return list(orgId, phone, tag, cursor, limit);
    }

    private Customer create(String orgId, CreateCustomerRequest request) {
        Require.noUnknownFields(request.unknownFields(), "", "phone, name, orgId, tags, attributes");
        String phone = Phone.normalize(request.phone(), "phone");
        String name = Require.optional(request.name(), "name", 200);
        List<String> tags = Traits.tags(request.tags(), "tags");
        Map<String, String> attributes = Traits.attributes(request.attributes(), "attributes", false);
        return customers
                .create(orgId, phone, name, tags == null ? List.of() : tags, attributes == null ? Map.of() : attributes)
                .orElseThrow(() -> new ApiException(
                        HttpStatus.CONFLICT,
                        "customer_exists",
                        "the org already has a customer with this phone",
                        "phone"));
    }

    private Page<Customer> list(String orgId, String phone, String tag, String cursor, Integer requestedLimit) {
        int limit = Page.limit(requestedLimit, 50, 500);
        String prefix = phone == null || phone.isBlank() ? null : phone.replaceAll("[^0-9]", "");
        String onlyTag = tag == null ? null : Traits.tags(List.of(tag), "tag").getFirst();
        List<Customer> rows = customers.list(orgId, prefix, onlyTag, Page.idCursor(cursor), limit + 1);
        if (rows.size() > limit) {
            List<Customer> page = rows.subList(0, limit);
            return new Page<>(page, page.getLast().id());
        }
        return Page.of(rows);
    }

    private static String unquote(String value) {
        return value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
