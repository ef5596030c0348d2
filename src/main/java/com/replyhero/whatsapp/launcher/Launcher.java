package com.replyhero.whatsapp.launcher;

import com.replyhero.whatsapp.GatewayApplication;
import com.replyhero.whatsapp.sandbox.SandboxApplication;
import java.util.Arrays;

/**
 * The jar's entry point: the gateway, or with {@code --sandbox-only} the Cloud API sandbox alone (no database),
 * for benchmarks and multi-node tests. Here rather than in the gateway so that the gateway does not depend on
 * the sandbox: the sandbox depends on the gateway's root package, never the other way round.
 */
public final class Launcher {

    public static final String SANDBOX_ONLY = "--sandbox-only";

    private Launcher() {}

    public static void main(String[] args) {
        if (Arrays.asList(args).contains(SANDBOX_ONLY)) {
            SandboxApplication.run(
                    Arrays.stream(args).filter(a -> !a.equals(SANDBOX_ONLY)).toArray(String[]::new));
            return;
        }
        GatewayApplication.main(args);
    }
}
