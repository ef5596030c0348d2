package com.replyhero.whatsapp.sandbox;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The sandbox runs when it is the upstream (no RH_GRAPH_URL) or on its own ({@code --sandbox-only}). */
class SandboxEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        var env = context.getEnvironment();
        String graphUrl = env.getProperty("rh.graph.url", "");
        return env.getProperty("rh.sandbox.standalone", Boolean.class, false) || graphUrl.isBlank();
    }
}
