package com.replyhero.whatsapp.sandbox.faults;

import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The sandbox's fault modes, set at run time: a flaky upstream on demand. */
@RestController
@Conditional(SandboxEnabled.class)
@Tag(name = "Sandbox", description = "The built-in stand-in for Meta's Cloud API (only while it is the upstream)")
class SandboxFaultController {

    private final SandboxFaults faults;

    SandboxFaultController(SandboxFaults faults) {
        this.faults = faults;
    }

    @PutMapping("/sandbox/faults")
    @Operation(
            summary = "Set every fault at once (what is left out is off)",
            description =
                    "{\"latencyMs\": 20, \"errors\": {\"500\": 0.01, \"503\": 0.01, \"130429\": 0.02,"
                            + " \"131056\": 0.01, \"131026\": 0.01, \"190\": 0.001}, \"dropAnswer\": 0.05,"
                            + " \"resetConnection\": 0.02, \"throttleBurst\": {\"everyMs\": 5000, \"lengthMs\": 500},"
                            + " \"statuses\": {\"delayMs\": 0, \"late\": 0.2, \"lateMs\": 30000, \"duplicate\": 0.3,"
                            + " \"reorder\": 0.3, \"lose\": 0.01}}. Rates are fractions (0.05 is 5 %). dropAnswer: the"
                            + " message is accepted (ledger, status webhooks) but the connection is closed without an answer;"
                            + " resetConnection: the request is read, then the connection is closed without an answer (not accepted).")
    SandboxFaults.Settings set(@RequestBody SandboxFaults.Settings settings) {
        return faults.set(settings);
    }

    @GetMapping("/sandbox/faults")
    @Operation(summary = "The faults in force")
    SandboxFaults.Settings get() {
        return faults.settings();
    }

    @DeleteMapping("/sandbox/faults")
    @Operation(summary = "No faults any more (the startup latency rh.sandbox.latency stays)")
    SandboxFaults.Settings clear() {
        return faults.clear();
    }
}
