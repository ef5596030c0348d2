package com.replyhero.whatsapp.sandbox;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The sandbox runs when it is the upstream (no RH_GRAPH_URL) or on its own ({@code --sandbox-only}). */
public class SandboxEnabled implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        // a condition runs before any bean exists: the settings are bound here as they will be
        Binder binder = Binder.get(context.getEnvironment());
        boolean standalone = binder.bind("rh.sandbox.standalone", Boolean.class).orElse(false);
        String graphUrl = binder.bind("rh.graph.url", String.class).orElse("");
        return standalone || graphUrl.isBlank();
    }
}
