package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.Ids;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Meta-shaped error answers: {@code {"error": {"message", "type", "code", "error_data", "fbtrace_id"}}}. */
public final class GraphErrors {

    private GraphErrors() {}

    public static ResponseEntity<ObjectNode> error(int httpStatus, int code, String message, String details) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "OAuthException"); // Meta uses it for Graph errors of every kind
        error.put("code", code);
        if (details != null) {
            ObjectNode data = error.putObject("error_data");
            data.put("messaging_product", "whatsapp");
            data.put("details", details);
        }
        error.put("fbtrace_id", "sandbox" + Ids.random(16));
        return ResponseEntity.status(httpStatus).body(body);
    }

    public static ResponseEntity<ObjectNode> invalidToken() {
        return error(401, 190, "Invalid OAuth access token - Cannot parse access token", null);
    }

    public static ResponseEntity<ObjectNode> invalidParameter(String details) {
        return error(400, 100, "(#100) Invalid parameter", details);
    }

    /** Meta's answer to a required parameter left out of a message. */
    static ResponseEntity<ObjectNode> missingParameter(String details) {
        return error(400, 131008, "(#131008) Required parameter is missing", details);
    }

    /** Meta's answer to a parameter of a message whose value breaks a rule (a length, a count, a range). */
    static ResponseEntity<ObjectNode> invalidValue(String details) {
        return error(400, 131009, "(#131009) Parameter value is not valid", details);
    }

    static ResponseEntity<ObjectNode> outsideWindow() {
        return error(
                400,
                131047,
                "Re-engagement message",
                "Message failed to send because more than 24 hours have passed since the customer last replied to"
                        + " this number.");
    }

    static ResponseEntity<ObjectNode> undeliverable() {
        return error(400, 131026, "Message Undeliverable", "Message could not be delivered to the recipient.");
    }

    static ResponseEntity<ObjectNode> throughputExceeded() {
        return error(
                400,
                130429,
                "(#130429) Rate limit hit",
                "Cloud API message throughput has been reached for this phone number.");
    }

    static ResponseEntity<ObjectNode> serverError() {
        return error(500, 1, "(#1) An unknown error occurred", "An unknown error occurred.");
    }

    static ResponseEntity<ObjectNode> serviceUnavailable() {
        return error(503, 2, "(#2) Service temporarily unavailable", "Service temporarily unavailable.");
    }

    static ResponseEntity<ObjectNode> pairRateLimit() {
        return error(
                400,
                131056,
                "(#131056) (Business Account, Consumer Account) pair rate limit hit",
                "Too many messages sent from the sender phone number to the same recipient phone number in a short"
                        + " period of time.");
    }

    /** The error a fault names ({@code faults.SandboxFaults.ERRORS}): an HTTP status or Meta's code. */
    static ResponseEntity<ObjectNode> named(String name) {
        return switch (name) {
            case "500" -> serverError();
            case "503" -> serviceUnavailable();
            case "130429" -> throughputExceeded();
            case "131056" -> pairRateLimit();
            case "131026" -> undeliverable();
            case "190" -> invalidToken();
            default -> throw new IllegalStateException("no such sandbox error: " + name);
        };
    }
}
