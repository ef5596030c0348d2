package com.replyhero.whatsapp.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The console's forms and pages fed generated bad input by a signed-in admin (with a valid CSRF token, so the input
 * reaches the handlers): random, empty, huge, control-character and broken percent-encoded values in every field the
 * console's forms use, unknown fields, random path variables and query parameters. No answer may be a 5xx, and
 * nothing hangs. The seed is printed so a failure can be replayed (-Dfuzz.seed=...).
 */
class ConsoleFuzzTest extends SweepFixtures {

    private static final int REQUESTS = Integer.getInteger("console.fuzz.requests", 1_500);

    private static final List<String> FIELDS = List.of(
            "text",
            "name",
            "email",
            "role",
            "scopes",
            "url",
            "customerId",
            "userId",
            "assignee",
            "eventId",
            "id",
            "keyId",
            "template",
            "language",
            "param1",
            "param2",
            "q",
            "phone",
            "tag",
            "tags",
            "optedOut",
            "password",
            "confirm",
            "token",
            "cursor",
            "limit",
            "status",
            "orgId",
            "channelId",
            "disabled");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void badFormsAndPathsNeverGetA5xx() throws Exception {
        TestOrg org = anOrg();
        aCustomerWhoWroteIn(org);
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);
        admin.get("/console/inbox");
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String[]> routes = routes();

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < REQUESTS; i++) {
                String[] route = routes.get(random.nextInt(routes.size()));
                String path = fill(route[1], random) + (random.nextInt(3) == 0 ? "?" + query(random) : "");
                Map<String, String> form = form(random);
                pool.submit(() -> {
                    ConsoleSession.Page answer = route[0].equals("GET") ? admin.get(path) : admin.post(path, form);
                    if (answer.status() >= 500) {
                        failures.add(route[0] + " " + path + " " + form + ": " + answer.status());
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.MINUTES))
                    .as("the fuzzing finished")
                    .isTrue();
        }

        System.out.printf("console fuzz: seed %d, %d requests over %d routes%n", seed, REQUESTS, routes.size());
        assertThat(failures).as("5xx answers (seed " + seed + ")").isEmpty();
        assertThat(admin.get("/console/inbox").status()).isEqualTo(200);
    }

    private List<String[]> routes() {
        List<String[]> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getPathPatternsCondition() == null) {
                continue;
            }
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                if (!pattern.startsWith("/console/")
                        || pattern.startsWith("/console/operator")
                        || pattern.equals("/console/login")
                        || pattern.endsWith("/events")
                        || pattern.contains("sign-out")) {
                    continue; // the operator area needs the operator; an event stream never ends by itself
                }
                if (methods.isEmpty()) {
                    routes.add(new String[] {"GET", pattern});
                }
                methods.forEach(m -> routes.add(new String[] {m.name(), pattern}));
            }
        }
        return routes;
    }

    private static String fill(String pattern, Random random) {
        return pattern.replaceAll("\\{[^}/]+}", java.util.regex.Matcher.quoteReplacement(segment(random)));
    }

    private static String segment(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "x";
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> "A".repeat(1 + random.nextInt(300));
            default -> "0VcjFtWl4nGIzlIlawR2jC";
        };
    }

    private static String query(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "q=%ZZ";
            case 1 -> "limit=-1&cursor=%00";
            case 2 -> "q=" + "%E2%82".repeat(1 + random.nextInt(10));
            default -> "limit=99999999999999999999&q=" + "a".repeat(random.nextInt(5000));
        };
    }

    private static Map<String, String> form(Random random) {
        Map<String, String> form = new LinkedHashMap<>();
        int fields = random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            form.put(FIELDS.get(random.nextInt(FIELDS.size())), value(random));
        }
        if (random.nextInt(10) == 0) {
            form.put("unknown" + random.nextInt(100), value(random));
        }
        return form;
    }

    private static String value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> "";
            case 1 -> "x".repeat(10_000 + random.nextInt(50_000));
            case 2 -> "\u0000\u0001\u001f";
            case 3 -> "-1";
            case 4 -> "99999999999999999999";
            case 5 -> "<script>alert(1)</script>";
            case 6 -> "\uD83D\uDE00 \u202E emoji";
            case 7 -> "https://127.0.0.1:1/x";
            default -> String.valueOf(random.nextInt());
        };
    }
}
