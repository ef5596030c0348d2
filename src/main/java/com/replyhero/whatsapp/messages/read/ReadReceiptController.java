package com.replyhero.whatsapp.messages.read;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.web.ApiError;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Idempotent;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Read receipts and the typing indicator for customers' messages. */
@RestController
@Tag(name = "Messages")
@SecurityRequirement(name = "apiKey")
class ReadReceiptController {

    /** Optionally {@code "typing": true}: show the customer the typing indicator too. */
    record ReadRequest(Boolean typing) {}

    /** Meta's answer, as Meta gives it. */
    record ReadReceipt(boolean success) {}

    private final ReadReceipts receipts;

    ReadReceiptController(ReadReceipts receipts) {
        this.receipts = receipts;
    }

    // sends to the Cloud API and changes the message: the send scope, as every call that does
    @RequiresScope(Scope.SEND)
    @Idempotent // as every POST: a repeat with the same key answers the first receipt and calls Meta once
    @PostMapping("/whatsapp/messages/{id}/read")
    @Operation(
            summary = "Mark a customer's message read, optionally with the typing indicator",
            description = "id: our message id, or the wamid of a message the customer sent (a wamid containing '/'"
                    + " may be written in base64url, with '_' for '/' and '-' for '+'). The customer sees two blue"
                    + " ticks (WhatsApp marks the earlier messages of the conversation read too); with"
                    + " {\"typing\": true} also the typing indicator, which WhatsApp removes at the next reply or"
                    + " after 25 seconds. The message's record then shows markedReadAt. 404 for a message that is"
                    + " not the org's; 400 not_inbound for a message the org sent.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            schema = @Schema(implementation = ReadRequest.class),
                                            examples = {
                                                @ExampleObject(name = "mark read", value = "{}"),
                                                @ExampleObject(
                                                        name = "mark read and show the typing indicator",
                                                        value = "{\"typing\": true}")
                                            })),
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        content =
                                @Content(
                                        schema = @Schema(implementation = ReadReceipt.class),
                                        examples =
                                                @ExampleObject(name = "Meta's answer", value = "{\"success\": true}"))),
                @ApiResponse(
                        responseCode = "400",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "401",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "403",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "404",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))
            })
    ReadReceipt markRead(Caller caller, @PathVariable String id, @RequestBody(required = false) ReadRequest request) {
        if (id.length() > 400) {
            throw ApiException.invalid("id", "id must be at most 400 characters");
        }
        receipts.markRead(caller.orgId(), id, request != null && Boolean.TRUE.equals(request.typing()));
        return new ReadReceipt(true);
    }
}
