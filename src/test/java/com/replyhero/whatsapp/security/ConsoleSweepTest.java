package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The console joins the sweeps. Its routes are read from the dispatcher's own mappings (a new page is covered
 * without editing this test; a path variable it cannot fill fails it): an admin of org B calls every route with org
 * A's ids and must get nothing of A's and change nothing of A's; and every route under every path spelling, without
 * a session or with a session of too low a role, must be refused.
 */
class ConsoleSweepTest extends SweepFixtures {

    /** Open to anyone: the sign-in pages. */
    private static final Set<String> PUBLIC = Set.of("/console", "/console/login", "/console/invite");

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Route(String method, String pattern) {}

    @Test
    void noConsoleUserReachesAnotherOrgsData() {
        Objects a = orgAWithOneOfEverything();
        Map<String, String> ids = consoleIds(a);
        TestOrg b = anOrg();
        ConsoleSession adminOfB = aConsoleUser(b, Role.ADMIN);
        String before = stateOf(a.org().orgId());

        List<String> leaks = new ArrayList<>();
        List<String> unfilled = new ArrayList<>();
        int calls = 0;
        for (Route route : routes()) {
            if (route.pattern().startsWith("/console/operator") || PUBLIC.contains(route.pattern())) {
                continue; // the operator sees every org by design; the sign-in pages hold no org's data
            }
            String path = concrete(route.pattern(), ids, unfilled);
            if (path == null) {
                continue;
            }
            boolean namesA = !path.equals(route.pattern());
            ConsoleSession.Page answer =
                    route.method().equals("GET") ? adminOfB.get(path) : adminOfB.post(path, formNaming(ids));
            adminOfB.get("/console/inbox"); // a fresh CSRF token for the next form
            calls++;
            String problem = null;
            if (answer.status() >= 500) {
                problem = "failed";
            } else if (namesA && answer.status() / 100 == 2 && route.method().equals("GET")) {
                problem = "answered a page for A's object";
            } else if (a.markers().stream().filter(m -> !path.contains(m)).anyMatch(answer.body()::contains)) {
                problem = "showed A's data";
            }
            if (problem != null) {
                leaks.add(route.method() + " " + path + ": " + problem + " (" + answer.status() + ")");
            }
        }

        System.out.printf("console isolation sweep: %d calls, %d leaks%n", calls, leaks.size());
        assertThat(unfilled).as("console path variables the sweep cannot fill").isEmpty();
        assertThat(leaks)
                .as("org B's admin reaching org A's data in the console")
                .isEmpty();
        assertThat(stateOf(a.org().orgId())).as("org A after the sweep").isEqualTo(before);
        assertThat(calls).as("console routes the sweep called").isGreaterThanOrEqualTo(30);
    }

    @Test
    void noConsoleRouteAnswersUnderAnyPathSpellingWithoutTheRightSession() {
        Objects a = orgAWithOneOfEverything();
        Map<String, String> ids = consoleIds(a);
        TestOrg b = anOrg();
        ConsoleSession agentOfB = aConsoleUser(b, Role.AGENT);
        ConsoleSession adminOfB = aConsoleUser(b, Role.ADMIN);
        String before = stateOf(a.org().orgId());

        List<String> answered = new ArrayList<>();
        int tried = 0;
        for (Route route : routes()) {
            if (PUBLIC.contains(route.pattern())) {
                continue;
            }
            String path = concrete(route.pattern(), ids, new ArrayList<>());
            if (path == null) {
                continue;
            }
            List<ConsoleSession> tooLow = new ArrayList<>(List.of(new ConsoleSession(api.baseUrl())));
            if (route.pattern().startsWith("/console/admin") || route.pattern().startsWith("/console/operator")) {
                tooLow.add(agentOfB);
            }
            if (route.pattern().startsWith("/console/operator")) {
                tooLow.add(adminOfB);
            }
            for (String spelling : TenantIsolationSweepTest.spellings(path)) {
                for (ConsoleSession session : tooLow) {
                    tried++;
                    ConsoleSession.Page answer = route.method().equals("GET")
                            ? session.get(spelling)
                            : session.post(spelling, formNaming(ids));
                    boolean refused = answer.status() == 400
                            || answer.status() == 401
                            || answer.status() == 403
                            || answer.status() == 404
                            || answer.status() == 405
                            || (answer.status() == 302
                                    && answer.location() != null
                                    && answer.location().contains("/console/login"));
                    if (!refused) {
                        answered.add(
                                route.method() + " " + spelling + ": " + answer.status() + " " + answer.location());
                    }
                }
            }
        }

        System.out.printf("console path-spelling sweep: %d requests, %d answered%n", tried, answered.size());
        assertThat(answered)
                .as("console requests without the right session that were answered")
                .isEmpty();
        assertThat(stateOf(a.org().orgId())).as("org A after the sweep").isEqualTo(before);
        assertThat(tried).isGreaterThan(20);
    }

    /** Every console route the dispatcher maps, with each of its methods (GET when it names none). */
    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getPathPatternsCondition() == null) {
                continue;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (!pattern.equals("/console") && !pattern.startsWith("/console/")) {
                    continue;
                }
                if (methods.isEmpty()) {
                    routes.add(new Route("GET", pattern));
                }
                methods.forEach(m -> routes.add(new Route(m.name(), pattern)));
            }
        }
        routes.sort(java.util.Comparator.comparing(Route::pattern).thenComparing(Route::method));
        return routes;
    }

    /** The route with A's ids in its variables; null (and the variable named in unfilled) when one has no value. */
    private static String concrete(String pattern, Map<String, String> ids, List<String> unfilled) {
        Matcher variables = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (variables.find()) {
            String name = variables.group(1);
            String key = name.equals("id") ? segmentBefore(pattern, variables.start()) + ".id" : name;
            String value = ids.get(key);
            if (value == null) {
                unfilled.add(pattern + " {" + name + "} (as " + key + ")");
                return null;
            }
            variables.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        variables.appendTail(path);
        return path.toString();
    }

    private static String segmentBefore(String pattern, int variableStart) {
        String before = pattern.substring(0, variableStart - 1);
        return before.substring(before.lastIndexOf('/') + 1);
    }

    /** A's ids under the names the console's routes and forms use. */
    private static Map<String, String> consoleIds(Objects a) {
        Map<String, String> ids = new HashMap<>(a.ids());
        ids.put("keys.id", a.ids().get("api-keys.id"));
        ids.put("keyId", a.ids().get("api-keys.id"));
        ids.put("users.id", a.ids().get("userId"));
        ids.put("inbox.id", a.ids().get("customerId"));
        ids.put("conversations.id", a.ids().get("customerId"));
        ids.put("dead-letters.id", a.ids().get("eventId"));
        ids.put("deliveries.id", a.ids().get("eventId"));
        ids.put("webhook.id", a.ids().get("eventId"));
        ids.put("templates.id", a.ids().get("templateName"));
        ids.put("name", a.ids().get("templateName"));
        ids.put("orgs.id", a.ids().get("orgId"));
        return ids;
    }

    /** A form that names A's objects in every field a console form could take an id from. */
    private static Map<String, String> formNaming(Map<String, String> ids) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String field :
                List.of("orgId", "userId", "customerId", "eventId", "broadcastId", "mediaId", "keyId", "channelId")) {
            form.put(field, ids.get(field.equals("keyId") ? "api-keys.id" : field));
        }
        form.put("id", ids.get("customerId"));
        form.put("assignee", ids.get("userId"));
        form.put("text", "sweep");
        form.put("name", "sweep");
        form.put("email", "sweep" + System.nanoTime() + "@example.com");
        form.values().removeIf(java.util.Objects::isNull);
        return form;
    }
}
