package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.messages.BroadcastRecipients;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A broadcast's report, as JSON (its progress and counts) or as CSV (one line per recipient, streamed). Both count a
 * reply the same way ({@link BroadcastRecipients}: wrote in within 24 hours after their message was sent).
 */
@RestController
@Tag(name = "Templates")
@SecurityRequirement(name = "apiKey")
class BroadcastReportController {

    static final String CSV_HEADER =
            "messageId,customerId,phone,status,wamid,errorCode,metaErrorCode,replied,pricingCategory";
    private static final int PAGE = 1000;

    private final Broadcasts broadcasts;
    private final BroadcastRecipients recipients;
    private final TemplateSender sender;
    private final Customers customers;

    BroadcastReportController(
            Broadcasts broadcasts, BroadcastRecipients recipients, TemplateSender sender, Customers customers) {
        this.broadcasts = broadcasts;
        this.recipients = recipients;
        this.sender = sender;
        this.customers = customers;
    }

    /** Without {@code format}: CSV when the client accepts text/csv and not JSON ({@code Accept: text/csv}). */
    private static boolean wantsCsv(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<org.springframework.http.MediaType> types;
        try {
            types = org.springframework.http.MediaType.parseMediaTypes(accept);
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return false;
        }
        org.springframework.http.MediaType csv = org.springframework.http.MediaType.valueOf("text/csv");
        return types.stream().anyMatch(t -> !t.isWildcardType() && t.isCompatibleWith(csv))
                && types.stream()
                        .noneMatch(t -> t.isCompatibleWith(org.springframework.http.MediaType.APPLICATION_JSON));
    }

    /** A broadcast's report: its progress and its outcome (sent, delivered, read, failed by code, replies, costs). */
    record BroadcastReport(BroadcastProgress broadcast, BroadcastRecipients.Outcome outcome) {}

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/template/broadcasts/{id}/report")
    @Operation(
            summary = "A broadcast's report: sent, delivered, read, failed by Meta's error code, cancelled, replies,"
                    + " cost categories",
            description = "replied: recipients who wrote in within 24 hours after their message was sent."
                    + " sentByPricingCategory: the sent recipients by the category of the pricing object of Meta's"
                    + " status webhooks (marketing, utility, authentication, service, ...; unknown until a status"
                    + " brings it). With format=csv (or Accept: text/csv): one line per recipient (" + CSV_HEADER
                    + "), streamed, the"
                    + " same replied as the counts.")
    Object report(
            Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) String format,
            @RequestHeader(value = "Accept", required = false) String accept,
            HttpServletResponse response)
            throws IOException {
        Broadcast broadcast =
                broadcasts.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("broadcast", "id"));
        if (format == null) {
            format = wantsCsv(accept) ? "csv" : "json";
        }
        if (format.equals("json")) {
            return new BroadcastReport(sender.progress(broadcast), recipients.outcome(caller.orgId(), id));
        }
        if (!format.equals("csv")) {
            throw ApiException.invalid("format", "format must be json or csv");
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(
                "Content-Disposition",
                ContentDisposition.attachment()
                        .filename("broadcast-" + id + ".csv")
                        .build()
                        .toString());
        PrintWriter out = response.getWriter();
        out.print(CSV_HEADER + "\r\n");
        String cursor = null;
        List<BroadcastRecipients.ReportLine> page;
        do {
            page = recipients.reportLines(caller.orgId(), id, cursor, PAGE);
            Map<String, String> phones = customers.phones(
                    caller.orgId(),
                    page.stream().map(line -> line.message().customerId()).toList());
            for (BroadcastRecipients.ReportLine line : page) {
                Message m = line.message();
                out.print(String.join(
                                ",",
                                csv(m.id()),
                                csv(m.customerId()),
                                csv(phones.get(m.customerId())),
                                csv(m.status().value()),
                                csv(m.wamid()),
                                csv(m.errorCode()),
                                m.upstreamCode() == null ? "" : m.upstreamCode().toString(),
                                String.valueOf(line.replied()),
                                csv(line.pricingCategory()))
                        + "\r\n");
            }
            cursor = page.isEmpty() ? null : page.getLast().message().id();
        } while (page.size() == PAGE);
        out.flush();
        return null;
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; a leading =+-@ made text. */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.matches(".*[,\"\r\n].*") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
