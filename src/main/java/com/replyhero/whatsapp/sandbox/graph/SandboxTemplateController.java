package com.replyhero.whatsapp.sandbox.graph;

import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import com.replyhero.whatsapp.sandbox.SandboxException;
import com.replyhero.whatsapp.sandbox.SandboxState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The sandbox's templates (register, and Graph's {@code message_templates}) and its per-recipient counts. */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxTemplateController {

    private final SandboxAccount settings;
    private final SandboxTemplates templates;
    private final SandboxState state;
    private final JsonMapper json;

    SandboxTemplateController(
            SandboxAccount settings, SandboxTemplates templates, SandboxState state, JsonMapper json) {
        this.settings = settings;
        this.templates = templates;
        this.state = state;
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
    @Operation(summary = "Graph-compatible template list of a WABA (every WABA of the sandbox has the same)")
    ResponseEntity<ObjectNode> list(
            @PathVariable String version,
            @PathVariable String wabaId,
            @RequestHeader(value = "Authorization", required = false) String authorization) {
        if (authorization == null
                || !java.security.MessageDigest.isEqual(
                        authorization.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        ("Bearer " + settings.accessToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            return GraphErrors.invalidToken();
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode data = answer.putArray("data");
        templates.all().forEach(data::add);
        answer.putObject("paging").putObject("cursors").put("before", "MAZDZD").put("after", "MjQZD");
        return ResponseEntity.ok(answer);
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
