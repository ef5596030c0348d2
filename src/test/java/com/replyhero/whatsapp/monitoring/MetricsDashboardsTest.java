package com.replyhero.whatsapp.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.events.OrgEndpoint;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The business metrics as Prometheus scrapes them, and the dashboard and alerts built on them: every metric the
 * Grafana dashboard or an alert reads is one the running gateway exports, the backlog gauges follow what is waiting,
 * and the alert rules pass their {@code promtool test rules} unit tests.
 */
class MetricsDashboardsTest extends GatewayTest {

    private static final Path DASHBOARD = Path.of("deploy/grafana/rh-whatsapp-api.json");
    private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    private static final Pattern METRIC = Pattern.compile("\\brh_[a-z0-9_]+");

    @Autowired
    private Backlogs backlogs;

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsExported() throws Exception {
        TestOrg org = anOrg();
        try (OrgEndpoint endpoint = OrgEndpoint.start()) {
            api.put("/whatsapp/webhook", Map.of("url", endpoint.url()), org.key());
            JsonNode customer = aCustomerWhoWroteIn(org);
            // a send Meta takes (statuses come back by webhook, an event goes to the org) and one it refuses
            Api.Response sent = api.post(
                    "/whatsapp/messages/send",
                    textRequest(org, customer.get("id").asString(), "hello"),
                    org.key());
            assertThat(sent.status()).as(sent.text()).isEqualTo(200);
            api.put("/sandbox/faults", Map.of("errors", Map.of("131026", 1.0)));
            try {
                api.post(
                        "/whatsapp/messages/send",
                        textRequest(org, customer.get("id").asString(), "refused"),
                        org.key());
            } finally {
                api.delete("/sandbox/faults");
            }
            endpoint.next(Duration.ofSeconds(10));
        }
        eventually(
                () -> {
                    String scraped = scrape();
                    return scraped.contains("rh_webhooks_status_lag_seconds_count")
                            && scraped.contains("rh_events_delivery_lag_seconds_count");
                },
                Boolean::booleanValue,
                Duration.ofSeconds(10));
        backlogs.refresh();
        Set<String> exported = names(scrape());

        Set<String> used = new TreeSet<>();
        used.addAll(metrics(Files.readString(DASHBOARD)));
        used.addAll(metrics(Files.readString(ALERTS)));

        assertThat(used).hasSizeGreaterThan(15);
        assertThat(exported).containsAll(used);
    }

    @Test
    void theBacklogGaugesFollowWhatIsWaiting() {
        TestOrg org = anOrg();
        for (int i = 0; i < 3; i++) {
            aCustomer(org);
        }
        backlogs.refresh();
        Map<String, Double> before = values(scrape());
        Map<String, Object> send = helloWorldSend(org);
        send.put("sendAt", OffsetDateTime.now().plusMinutes(10).toString());
        Api.Response scheduled = api.post("/whatsapp/template/send", send, org.key());
        assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(202);

        backlogs.refresh();
        Map<String, Double> after = values(scrape());

        assertThat(after.get("rh_messages_queued") - before.get("rh_messages_queued"))
                .isGreaterThanOrEqualTo(3);
        assertThat(after.get("rh_broadcasts_active{status=\"scheduled\"}"))
                .isGreaterThan(before.get("rh_broadcasts_active{status=\"scheduled\"}"));
        api.post(
                "/whatsapp/template/broadcasts/" + scheduled.json().get("id").asString() + "/cancel",
                Map.of(),
                org.key());
    }

    @Test
    void theAlertRulesPassTheirPromtoolTests() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool)) {
            // .ci/run installs Debian's prometheus (its promtool) and sets RH_REQUIRE_PROMTOOL
            assertThat(System.getenv("RH_REQUIRE_PROMTOOL"))
                    .as("promtool is required here (apt-get install prometheus)")
                    .isNull();
            Assumptions.abort("promtool is not installed (apt-get install prometheus)");
        }
        Process run = new ProcessBuilder(promtool.toString(), "test", "rules", "alerts.test.yml")
                .directory(Path.of("deploy/prometheus").toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    private String scrape() {
        Api.Response metrics = api.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.text();
    }

    /** The metric names of a Prometheus text exposition. */
    private static Set<String> names(String exposition) {
        Set<String> names = new HashSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** Each series (name and labels, as exported) and its value. */
    private static Map<String, Double> values(String exposition) {
        Map<String, Double> values = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }

    /** The gateway's metric names an expression file reads. */
    private static Set<String> metrics(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
