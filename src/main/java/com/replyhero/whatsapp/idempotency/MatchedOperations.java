package com.replyhero.whatsapp.idempotency;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The operation that the dispatcher will run for a request, asked of its handler mappings from a filter: a filter
 * decides on what will be matched, never on its own reading of the path.
 */
@Component
class MatchedOperations {

    /** The operation and its path variables. */
    record Matched(HandlerMethod operation, Map<String, String> pathVariables) {}

    private final ObjectProvider<HandlerMappingIntrospector> introspector;

    MatchedOperations(ObjectProvider<HandlerMappingIntrospector> introspector) {
        this.introspector = introspector;
    }

    /** Empty when no operation matches (the dispatcher answers 404, 405 or 415). */
    @SuppressWarnings("unchecked")
    Optional<Matched> of(HttpServletRequest request) {
        Probe probe = new Probe(request);
        ServletRequestPathUtils.parseAndCache(probe);
        for (HandlerMapping mapping : introspector.getObject().getHandlerMappings()) {
            HandlerExecutionChain chain;
            try {
                chain = mapping.getHandler(probe);
            } catch (Exception e) {
                return Optional.empty(); // no operation takes this request as it is: the dispatcher says why
            }
            if (chain != null) {
                if (!(chain.getHandler() instanceof HandlerMethod operation)) {
                    return Optional.empty();
                }
                Object variables = probe.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
                return Optional.of(new Matched(
                        operation, variables instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of()));
            }
        }
        return Optional.empty();
    }

    /** The request as the mappings see it; what they note on it stays here, off the request the dispatcher gets. */
    private static final class Probe extends HttpServletRequestWrapper {

        private final Map<String, Object> attributes = new HashMap<>();
        private final Set<String> removed = new HashSet<>();

        Probe(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Object getAttribute(String name) {
            if (attributes.containsKey(name)) {
                return attributes.get(name);
            }
            return removed.contains(name) ? null : super.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            removed.remove(name);
            attributes.put(name, value);
        }

        @Override
        public void removeAttribute(String name) {
            attributes.remove(name);
            removed.add(name);
        }
    }
}
