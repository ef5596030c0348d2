package com.replyhero.whatsapp.messages.send;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.RequiresScope;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.idempotency.IdempotentRequest;
import com.replyhero.whatsapp.messages.Message;
import com.replyhero.whatsapp.messages.MessageRecord;
import com.replyhero.whatsapp.messages.store.Messages;
import com.replyhero.whatsapp.orgs.Orgs;
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
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The seed's "Send WhatsApp Message" endpoint, and reading a message back. */
@RestController
@Tag(name = "Messages")
@SecurityRequirement(name = "apiKey")
class MessageController {

    static final String SEED_TEXT_REQUEST = """
            {
              "message": {
                "type": "text",
                "text": {
                  "body": "testing msg"
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String SEED_IMAGE_REQUEST = """
            {
              "message": {
                "type": "image",
                "image": {
                  "file": {
                    "name": "bot.png",
                    "type": "image/png",
                    "displayType": "IMAGE",
                    "extension": "png",
                    "data": "BYTES_DATA_IN_STRING"
                  },
                  "caption": "testing"
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String AUDIO_REQUEST = """
            {
              "message": {
                "type": "audio",
                "audio": {
                  "link": "https://example.com/voice-note.ogg"
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String STICKER_REQUEST = """
            {
              "message": {
                "type": "sticker",
                "sticker": {
                  "link": "https://example.com/thanks.webp"
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String LOCATION_REQUEST = """
            {
              "message": {
                "type": "location",
                "location": {
                  "latitude": 3.1390,
                  "longitude": 101.6869,
                  "name": "KL Sentral",
                  "address": "Jalan Stesen Sentral, Kuala Lumpur"
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String CONTACTS_REQUEST = """
            {
              "message": {
                "type": "contacts",
                "contacts": [{
                  "name": {"formatted_name": "Ali Bin Abu", "first_name": "Ali", "last_name": "Abu"},
                  "phones": [{"phone": "+60123456789", "type": "CELL", "wa_id": "60123456789"}],
                  "emails": [{"email": "ali@example.com", "type": "WORK"}],
                  "org": {"company": "Example Sdn Bhd", "title": "Manager"},
                  "birthday": "1990-01-23"
                }]
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String BUTTONS_REQUEST = """
            {
              "message": {
                "type": "interactive",
                "interactive": {
                  "type": "button",
                  "header": {"type": "text", "text": "Your booking"},
                  "body": {"text": "See you tomorrow at 9am?"},
                  "footer": {"text": "Reply with a button"},
                  "action": {"buttons": [
                    {"type": "reply", "reply": {"id": "confirm", "title": "Confirm"}},
                    {"type": "reply", "reply": {"id": "reschedule", "title": "Reschedule"}}
                  ]}
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String LIST_REQUEST = """
            {
              "message": {
                "type": "interactive",
                "interactive": {
                  "type": "list",
                  "body": {"text": "Which delivery do you prefer?"},
                  "action": {
                    "button": "Delivery options",
                    "sections": [
                      {"title": "Fast", "rows": [{"id": "express", "title": "Express", "description": "Next day"}]},
                      {"title": "Cheaper", "rows": [{"id": "standard", "title": "Standard", "description": "2 to 5 days"}]}
                    ]
                  }
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String CTA_URL_REQUEST = """
            {
              "message": {
                "type": "interactive",
                "interactive": {
                  "type": "cta_url",
                  "body": {"text": "Your invoice is ready."},
                  "action": {"name": "cta_url", "parameters": {"display_text": "Open invoice", "url": "https://example.com/invoices/42"}}
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String LOCATION_REQUEST_REQUEST = """
            {
              "message": {
                "type": "interactive",
                "interactive": {
                  "type": "location_request_message",
                  "body": {"text": "Where should we pick you up?"},
                  "action": {"name": "send_location"}
                }
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String REACTION_REQUEST = """
            {
              "message": {
                "type": "reaction",
                "reaction": {"message_id": "MESSAGE_ID", "emoji": "👍"}
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String REPLY_REQUEST = """
            {
              "message": {
                "type": "text",
                "text": {"body": "Yes, 9am works"},
                "context": {"messageId": "MESSAGE_ID"}
              },
              "sessionId": "SESSION_ID",
              "customerId": "CUSTOMER_ID",
              "userId": "USER_ID",
              "orgId": "ORG_ID"
            }""";

    static final String SEED_TEXT_RESPONSE = """
            {
              "customerId": "CUSTOMER_ID",
              "id": "MESSAGE_ID",
              "messageType": "human",
              "orgId": "ORG_ID",
              "response": {
                "contacts": [{"input": "601*****67", "wa_id": "601*****67"}],
                "messages": [{"id": "wamid.HBgL*****REY1RjIA"}],
                "messaging_product": "whatsapp"
              },
              "sessionId": "SESSION_ID",
              "timestamp": "Sun, 17 Mar 2024 00:45:25 +0800",
              "userId": "USER_ID"
            }""";

    private final MessageSender sender;
    private final SendRequestReader reader;
    private final Messages messages;
    private final Orgs orgs;

    MessageController(MessageSender sender, SendRequestReader reader, Messages messages, Orgs orgs) {
        this.sender = sender;
        this.reader = reader;
        this.messages = messages;
        this.orgs = orgs;
    }

    @RequiresScope(Scope.SEND)
    @Idempotent(Idempotent.Keeper.OPERATION) // the key is kept on the message, for as long as the message
    @PostMapping("/whatsapp/messages/send")
    @Operation(
            summary = "Send a WhatsApp message",
            description = "Text, or an image, document, video, audio or sticker (exactly one of file with base64"
                    + " data, an http(s) link, link + provider, or an uploaded media id; 413 beyond Meta's size limits;"
                    + " no caption on audio or a sticker), or a location,"
                    + " contacts, interactive (button, list, cta_url, location_request_message) or reaction message in"
                    + " Meta's own object and field names, checked with Meta's limits (400 naming the field); any kind"
                    + " but a reaction may answer a message (message.context.messageId: our id or a wamid; a message of"
                    + " another org is 404), within the customer's 24-hour window. The message is stored before the"
                    + " Cloud API"
                    + " is called. 200: Meta accepted it. 202: Meta was unavailable; it waits in the durable queue."
                    + " 504 outcome_unknown: the send may have taken effect (no answer, Meta's 500 or 131000, or"
                    + " Meta accepted it but the gateway could not record that); do not send it again yourself:"
                    + " Meta's status webhook settles it (a message whose sending gateway stopped mid-send is"
                    + " sent again by the gateway when no status comes). An Idempotency-Key"
                    + " makes a retried request answer the first result without sending again.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            schema = @Schema(implementation = SendMessageRequest.class),
                                            examples = {
                                                @ExampleObject(name = "seed: text message", value = SEED_TEXT_REQUEST),
                                                @ExampleObject(
                                                        name = "seed: media message (data is the file in base64)",
                                                        value = SEED_IMAGE_REQUEST),
                                                @ExampleObject(
                                                        name = "audio (file, link, provider or id as for an image; no"
                                                                + " caption)",
                                                        value = AUDIO_REQUEST),
                                                @ExampleObject(
                                                        name = "sticker (WebP: 100 KB static, 500 KB animated; no"
                                                                + " caption)",
                                                        value = STICKER_REQUEST),
                                                @ExampleObject(name = "location", value = LOCATION_REQUEST),
                                                @ExampleObject(name = "contacts", value = CONTACTS_REQUEST),
                                                @ExampleObject(
                                                        name = "interactive: reply buttons (1 to 3)",
                                                        value = BUTTONS_REQUEST),
                                                @ExampleObject(
                                                        name = "interactive: list (at most 10 rows)",
                                                        value = LIST_REQUEST),
                                                @ExampleObject(
                                                        name = "interactive: call-to-action URL button",
                                                        value = CTA_URL_REQUEST),
                                                @ExampleObject(
                                                        name = "interactive: location request",
                                                        value = LOCATION_REQUEST_REQUEST),
                                                @ExampleObject(
                                                        name = "reply: any kind with context.messageId",
                                                        value = REPLY_REQUEST),
                                                @ExampleObject(
                                                        name = "reaction (our message id or a wamid; \"\" removes it)",
                                                        value = REACTION_REQUEST)
                                            })),
            responses = {
                @ApiResponse(
                        responseCode = "200",
                        content =
                                @Content(
                                        schema = @Schema(implementation = MessageRecord.class),
                                        examples = @ExampleObject(name = "seed: success", value = SEED_TEXT_RESPONSE))),
                @ApiResponse(
                        responseCode = "202",
                        content = @Content(schema = @Schema(implementation = MessageRecord.class))),
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
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "413",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "422",
                        content = @Content(schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(
                        responseCode = "504",
                        content = @Content(schema = @Schema(implementation = ApiError.class)))
            })
    ResponseEntity<Object> send(Caller caller, IdempotentRequest idempotency, HttpServletRequest http) {
        // not @RequestBody: a file's base64 is streamed to disk as the body is read (SendRequestReader)
        try (SendRequestReader.Read read = reader.read(http)) {
            return switch (sender.send(caller, read.request(), idempotency, read.attachment())) {
                case SendOutcome.Stored stored ->
                    ResponseEntity.status(stored.queued() ? 202 : 200).body(stored.record());
                case SendOutcome.Failed failed ->
                    ResponseEntity.status(failed.error().status()).body(failed.error());
            };
        }
    }

    @RequiresScope(Scope.READ)
    @GetMapping("/whatsapp/messages/{id}")
    @Operation(summary = "One message of the caller's org, with its delivery status")
    MessageRecord get(Caller caller, @PathVariable String id) {
        Message message = messages.find(caller.orgId(), id).orElseThrow(() -> ApiException.notFound("message", "id"));
        return MessageRecord.of(message, orgs.get(caller.orgId()).zone());
    }
}
