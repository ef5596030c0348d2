package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.SandboxState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's templates: registered as Meta already has them, and Graph's template management ({@code
 * message_templates}: create, list, delete; {@code POST /{template-id}}: edit), Meta's Resumable Upload for a media
 * header's example, a status change on demand; and its per-recipient counts.
 */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxTemplateController {

    private final SandboxAccount settings;
    private final SandboxTemplates templates;
    private final SandboxState state;
    private final SandboxUploads uploads;
    private final JsonMapper json;

    SandboxTemplateController(
            SandboxAccount settings,
            SandboxTemplates templates,
            SandboxState state,
            SandboxUploads uploads,
            JsonMapper json) {
        this.settings = settings;
        this.templates = templates;
        this.state = state;
        this.uploads = uploads;
        this.json = json;
    }

    @PostMapping("/sandbox/templates")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a template with the sandbox, in Meta's definition (name, language, components)")
    ObjectNode register(@RequestBody ObjectNode definition) {
        if (!definition.path("name").isString()
                || definition.path("name").asString().isBlank()) {
            throw SandboxException.missing("name");
        }
        if (!definition.path("language").isString()) {
            throw SandboxException.missing("language");
        }
        if (!definition.path("components").isArray()) {
            throw SandboxException.missing("components");
        }
        return templates.register(definition);
    }

    @GetMapping("/sandbox/graph/{version}/{wabaId}/message_templates")
    @Operation(summary = "Graph-compatible template list of a WABA: its own templates and the registered ones")
    ResponseEntity<ObjectNode> list(
            @PathVariable String version,
            @PathVariable String wabaId,
            @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode data = answer.putArray("data");
        templates.of(wabaId).forEach(data::add);
        answer.putObject("paging").putObject("cursors").put("before", "MAZDZD").put("after", "MjQZD");
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/sandbox/graph/{version}/{wabaId}/message_templates")
    @Operation(
            summary = "Graph's template creation: answers {\"id\", \"status\": \"PENDING\", \"category\"}, then"
                    + " approves (or rejects) after rh.sandbox.template-review-delay and posts the signed"
                    + " message_template_status_update webhook")
    ResponseEntity<ObjectNode> create(
            @PathVariable String version,
            @PathVariable String wabaId,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestBody ObjectNode definition) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        for (String field : List.of("name", "language", "category")) {
            if (!definition.path(field).isString()
                    || definition.path(field).asString().isBlank()) {
                return GraphErrors.missingParameter("the parameter " + field + " is required");
            }
        }
        if (!definition.path("name").asString().matches("[a-z0-9_]{1,512}")) {
            return GraphErrors.invalidParameter("name must be lowercase letters, digits and underscores");
        }
        if (!definition.path("components").isArray()) {
            return GraphErrors.missingParameter("the parameter components is required");
        }
        for (JsonNode component : definition.path("components")) {
            if (component.path("type").asString("").equalsIgnoreCase("HEADER")
                    && !component.path("format").asString("TEXT").equalsIgnoreCase("TEXT")
                    && !component.path("format").asString("").equalsIgnoreCase("LOCATION")) {
                String handle =
                        component.path("example").path("header_handle").path(0).asString("");
                if (!uploads.isHandle(handle)) {
                    return GraphErrors.invalidParameter("example.header_handle is not a handle of an uploaded file");
                }
            }
        }
        return templates.create(wabaId, definition);
    }

    @PostMapping("/sandbox/graph/{version}/{templateId:\\d+}")
    @Operation(summary = "Graph's template edit (POST /{template-id}): new components and/or category, reviewed again")
    ResponseEntity<ObjectNode> edit(
            @PathVariable String version,
            @PathVariable String templateId,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestBody ObjectNode edit) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        if (!templates.edit(templateId, edit)) {
            return GraphErrors.error(
                    400, 100, "Unsupported post request", "Object with ID '" + templateId + "' does not exist");
        }
        return ResponseEntity.ok(json.createObjectNode().put("success", true));
    }

    @DeleteMapping("/sandbox/graph/{version}/{wabaId}/message_templates")
    @Operation(summary = "Graph's template delete: by name (every language), or by name and hsm_id (one)")
    ResponseEntity<ObjectNode> delete(
            @PathVariable String version,
            @PathVariable String wabaId,
            @RequestParam(required = false) String name,
            @RequestParam(name = "hsm_id", required = false) String hsmId,
            @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        if (name == null || name.isBlank()) {
            return GraphErrors.missingParameter("the parameter name is required");
        }
        if (templates.delete(wabaId, name, hsmId) == 0) {
            return GraphErrors.error(400, 100, "Invalid parameter", "Message template \"" + name + "\" not found");
        }
        return ResponseEntity.ok(json.createObjectNode().put("success", true));
    }

    @PostMapping("/sandbox/graph/{version}/{appId}/uploads")
    @Operation(summary = "Meta's Resumable Upload, step 1: a session for a file ({\"id\": \"upload:...\"})")
    ResponseEntity<ObjectNode> startUpload(
            @PathVariable String version,
            @PathVariable String appId,
            @RequestParam(name = "file_length", required = false) Long fileLength,
            @RequestParam(name = "file_type", required = false) String fileType,
            @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        if (fileLength == null || fileLength <= 0) {
            return GraphErrors.missingParameter("file_length must be the file's size in bytes");
        }
        if (!SandboxUploads.TYPES.contains(fileType)) {
            return GraphErrors.invalidParameter("file_type must be one of " + String.join(", ", SandboxUploads.TYPES));
        }
        return ResponseEntity.ok(json.createObjectNode().put("id", uploads.start(fileLength, fileType)));
    }

    @PostMapping("/sandbox/graph/{version}/upload:{session}")
    @Operation(summary = "Meta's Resumable Upload, step 2: the file's bytes (offset 0); answers its handle {\"h\"}")
    ResponseEntity<ObjectNode> upload(
            @PathVariable String version,
            @PathVariable String session,
            @RequestHeader(value = "Authorization", required = false) String authorization,
            @RequestHeader(value = "file_offset", required = false) String offset,
            @RequestBody(required = false) byte[] bytes) {
        if (!authorized(authorization)) {
            return GraphErrors.invalidToken();
        }
        if (offset != null && !offset.equals("0")) {
            return GraphErrors.invalidParameter("file_offset: the sandbox takes a file in one request, at offset 0");
        }
        String handle = uploads.complete("upload:" + session, bytes == null ? new byte[0] : bytes);
        if (handle == null) {
            return GraphErrors.invalidParameter("no upload session upload:" + session + " of this length");
        }
        return ResponseEntity.ok(json.createObjectNode().put("h", handle));
    }

    @PostMapping("/sandbox/templates/{name}/status")
    @Operation(
            summary = "Change a template's status as Meta's enforcement would ({\"status\": \"PAUSED\"}, DISABLED,"
                    + " APPROVED; optional language, default en_US, and reason) and post the status webhook")
    ResponseEntity<ObjectNode> status(@PathVariable String name, @RequestBody ObjectNode request) {
        String status = request.path("status").asString("");
        if (!Set.of("APPROVED", "PAUSED", "DISABLED", "REJECTED", "PENDING").contains(status)) {
            throw SandboxException.missing("status");
        }
        String language = request.path("language").asString("en_US");
        if (!templates.setStatus(name, language, status, request.path("reason").asString(null))) {
            return GraphErrors.error(404, 132001, "Template not found", name + " (" + language + ")");
        }
        return ResponseEntity.ok(json.createObjectNode().put("name", name).put("status", status));
    }

    /** Graph's token, as {@code Bearer} or (the upload step's) {@code OAuth}. */
    private boolean authorized(String authorization) {
        if (authorization == null) {
            return false;
        }
        String token = authorization.startsWith("OAuth ")
                ? authorization.substring("OAuth ".length())
                : authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : "";
        return MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), settings.accessToken().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/sandbox/ledger/recipients")
    @Operation(summary = "Ground truth per recipient: how many recipients got one message, how many more than one")
    Map<String, Object> recipients(@RequestParam(required = false) String phoneNumberId) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("recipients", state.distinctRecipients());
        answer.put("recipientsWithMoreThanOne", state.recipientsWithMoreThanOne());
        answer.put("accepted", state.acceptedTotal());
        answer.put("throttled", state.throttledTotal());
        if (phoneNumberId != null) {
            answer.put("phoneNumberId", phoneNumberId);
            answer.put("acceptedPer100ms", state.perTenthOfSecond(phoneNumberId));
        }
        return answer;
    }
}
