package com.replyhero.whatsapp.templates;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.idempotency.IdempotentRequest;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.Idempotent;
import com.replyhero.whatsapp.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The seed's "Send WhatsApp Template" endpoint, and the progress of broadcasts. */
@RestController
@Tag(name = "Templates")
@SecurityRequirement(name = "apiKey")
class TemplateController {

    static final String SEED_TEMPLATE_REQUEST = """
            {
              "templateName": "TEMPLATE_NAME",
              "sessionId": "SESSION_ID",
              "orgId": "ORG_ID",
              "userId": "USER_ID",
              "components": [
                {
                  "type": "header",
                  "parameters": [
                    {
                      "type": "image",
                      "image": {"id": "MEDIA_ID"}
                    }
                  ]
                },
                {
                  "type": "body",
                  "parameters": [
                    {
                      "type": "text",
                      "text": "https://replyhero.io/"
                    },
                    {
                      "type": "text",
                      "text": "https://replyhero.io/"
                    }
                  ]
                }
              ]
            }""";

    /** Every component beyond the seed's: a location header, and buttons, each by its index in the template. */
    static final String COMPONENTS_TEMPLATE_REQUEST = """
            {
              "templateName": "TEMPLATE_NAME",
              "sessionId": "SESSION_ID",
              "orgId": "ORG_ID",
              "userId": "USER_ID",
              "components": [
                {
                  "type": "header",
                  "parameters": [
                    {
                      "type": "location",
                      "location": {
                        "latitude": "37.483307",
                        "longitude": "122.148981",
                        "name": "Pablo Morales",
                        "address": "1 Hacker Way, Menlo Park, CA 94025"
                      }
                    }
                  ]
                },
                {"type": "body", "parameters": [{"type": "text", "text": "A-1234"}]},
                {
                  "type": "button",
                  "sub_type": "quick_reply",
                  "index": "0",
                  "parameters": [{"type": "payload", "payload": "PICKUP-TODAY"}]
                },
                {"type": "button", "sub_type": "url", "index": "2", "parameters": [{"type": "text", "text": "A-1234"}]},
                {
                  "type": "button",
                  "sub_type": "copy_code",
                  "index": "4",
                  "parameters": [{"type": "coupon_code", "coupon_code": "25OFF"}]
                }
              ]
            }""";

    static final String SEED_TEMPLATE_RESPONSE = """
            [
              {
                "customerId": "CUSTOMER_ID",
                "file": null,
                "id": "MESSAGE_ID",
                "message": "TEMPLATE_NAME",
                "messageType": "template",
                "orgId": "ORG_ID",
                "response": {
                  "contacts": [{"input": "601*****13", "wa_id": "601*****13"}],
                  "messages": [{"id": "wamid.HBgL*****REY1RjIA"}],
                  "messaging_product": "whatsapp"
                },
                "sessionId": "SESSION_ID",
                "timestamp": "Sun, 17 Mar 2024 13:37:13 +0800",
                "userId": "USER_ID"
              }
            ]""";

    private final TemplateSender sender;
    private final OrgBroadcasts orgBroadcasts;

    TemplateController(TemplateSender sender, OrgBroadcasts orgBroadcasts) {
        this.sender = sender;
        this.orgBroadcasts = orgBroadcasts;
    }

    @RequiresScope(Scope.SEND)
    @Idempotent(Idempotent.Keeper.OPERATION) // the key is kept on the broadcast, for as long as the broadcast
    @PostMapping("/whatsapp/template/send")
    @Operation(
            summary = "Send a WhatsApp template to every customer of the org",
            description = "Checks the request and the template (name, language, parameter count, text limits: header"
                    + " 60, body 1024 beside other components or 32768 alone) before anything is sent, then sends"
                    + " one message per customer who has not opted out (or per id in customerIds). Up to"
                    + " rh.broadcasts.sync-limit (100) recipients: 200 with the seed's array, one record per"
                    + " recipient. Above it, or with `Prefer: respond-async`: 202 with the broadcast (Location:"
                    + " /whatsapp/template/broadcasts/{id}), sent in the background at the org's throughput."
                    + " Beyond the seed's header and body: a location header; one button component per button that"
                    + " takes a parameter (sub_type quick_reply with a payload, url with the URL's suffix, copy_code"
                    + " with a coupon_code of at most 15 characters; index: the button's index in the template),"
                    + " checked against the template's BUTTONS (a wrong index, a parameter for a phone-number button,"
                    + " a required button left out: 400 template_parameters_mismatch naming the field). A footer takes"
                    + " no parameters.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = TemplateSendRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "seed: template with an image header",
                                                        value = SEED_TEMPLATE_REQUEST),
                                                @ExampleObject(
                                                        name = "location header, quick reply, URL suffix, copy code",
                                                        value = COMPONENTS_TEMPLATE_REQUEST)
                                            })),
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        content =
                                @Content(
                                        array = @ArraySchema(schema = @Schema(implementation = MessageRecord.class)),
                                        examples =
                                                @ExampleObject(
                                                        name = "seed: success",
                                                        value = SEED_TEMPLATE_RESPONSE))),
                @ApiResponse(
                        responseCode = "202",
                        content = @Content(schema = @Schema(implementation = BroadcastProgress.class))),
                @ApiResponse(
                        responseCode = "400",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "403",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "404",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))
            })
    ResponseEntity<Object> send(
            Caller caller,
            @RequestHeader(value = "Prefer", required = false) String prefer,
            IdempotentRequest idempotency,
            @RequestBody TemplateSendRequest request) {
        boolean async = prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
        return switch (sender.send(caller, request, async, idempotency)) {
            case TemplateSender.Outcome.Records records -> ResponseEntity.ok(records.records());
            case TemplateSender.Outcome.Accepted accepted -> {
                ResponseEntity.BodyBuilder answer = ResponseEntity.accepted()
                        .location(URI.create("/whatsapp/template/broadcasts/"
                                + accepted.progress().id()));
                if (async) {
                    answer.header("Preference-Applied", "respond-async");
                }
                yield answer.body(accepted.progress());
            }
        };
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/template/broadcasts/{id}")
    @Operation(summary = "A broadcast's progress: total, sent, failed, pending, unknown, current rate, times")
    BroadcastProgress broadcast(Caller caller, @PathVariable String id) {
        return orgBroadcasts.progress(caller.orgId(), id);
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/template/broadcasts/{id}/messages")
    @Operation(summary = "A broadcast's records (the seed's record, one per recipient), paginated by cursor")
    Page<MessageRecord> broadcastMessages(
            Caller caller,
            @PathVariable String id,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        OrgBroadcasts.Records page =
                orgBroadcasts.records(caller.orgId(), id, Page.idCursor(cursor), Page.limit(limit, 100, 1000));
        return new Page<>(page.records(), page.nextCursor());
    }

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/template/broadcasts/{id}/pause")
    @Operation(
            summary = "Pause a scheduled or running broadcast: nothing more is sent until it is resumed",
            description = "Sends already under way settle as they would. Pausing a paused broadcast answers it as it"
                    + " is; a completed or cancelled one is 409. The org's backend gets a broadcast.status event.")
    BroadcastProgress pause(Caller caller, @PathVariable String id) {
        return orgBroadcasts.pause(caller.orgId(), id);
    }

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/template/broadcasts/{id}/resume")
    @Operation(
            summary = "Resume a paused broadcast (also one the gateway paused, e.g. because Meta paused the template)",
            description = "It runs again (or waits for its sendAt). A running one answers as it is; a completed or"
                    + " cancelled one is 409, as is one whose template is not APPROVED at Meta"
                    + " (template_not_approved).")
    BroadcastProgress resume(Caller caller, @PathVariable String id) {
        return orgBroadcasts.resume(caller.orgId(), id);
    }

    @RequiresScope(Scope.SEND)
    @Idempotent
    @PostMapping("/whatsapp/template/broadcasts/{id}/cancel")
    @Operation(
            summary = "Cancel a broadcast: its recipients not sent yet are marked cancelled and never sent",
            description = "Sends already under way settle as they would. A cancelled one answers as it is; a"
                    + " completed one is 409.")
    BroadcastProgress cancel(Caller caller, @PathVariable String id) {
        return orgBroadcasts.cancel(caller.orgId(), id);
    }
}
