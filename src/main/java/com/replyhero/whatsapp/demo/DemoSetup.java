package com.replyhero.whatsapp.demo;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.apikeys.ApiKeys;
import com.replyhero.whatsapp.cloudapi.GraphEndpoint;
import com.replyhero.whatsapp.console.Invitations;
import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.orgs.Channel;
import com.replyhero.whatsapp.orgs.Org;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.sandbox.SandboxAccount;
import com.replyhero.whatsapp.web.AdminTokenFilter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * First start with the embedded defaults: a demo org on the sandbox channel, a user (an admin of the console, with
 * a one-time link to set a password), a customer who has
 * written in (so the window is open) and an API key, printed once and written to {@code demo.json}, so the
 * seed's curl examples work at once.
 */
@Component
class DemoSetup {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    static final String DEMO_PHONE = "60123456789";
    static final String DEMO_EMAIL = "demo@example.com";

    private final boolean enabled;
    private final DataDir dataDir;
    private final GraphEndpoint graph;
    private final ObjectProvider<SandboxAccount> sandbox;
    private final Orgs orgs;
    private final Customers customers;
    private final ApiKeys apiKeys;
    private final AdminTokenFilter admin;
    private final Invitations invitations;
    private final JsonMapper json;

    DemoSetup(
            DemoSettings settings,
            DataDir dataDir,
            GraphEndpoint graph,
            ObjectProvider<SandboxAccount> sandbox,
            Orgs orgs,
            Customers customers,
            ApiKeys apiKeys,
            AdminTokenFilter admin,
            Invitations invitations,
            JsonMapper json) {
        this.enabled = settings.enabled();
        this.dataDir = dataDir;
        this.graph = graph;
        this.sandbox = sandbox;
        this.orgs = orgs;
        this.customers = customers;
        this.apiKeys = apiKeys;
        this.admin = admin;
        this.invitations = invitations;
        this.json = json;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createDemo() throws IOException, InterruptedException {
        SandboxAccount settings = sandbox.getIfAvailable();
        if (!enabled || !graph.usesSandbox() || settings == null) {
            return;
        }
        Path file = dataDir.resolve("demo.json");
        if (Files.exists(file)) {
            log.info("Demo organization and API key: {}", file);
            return;
        }
        if (orgs.any()) {
            return; // organizations were created by an operator: no demo
        }
        Org org = orgs.create("Demo", "Asia/Kuala_Lumpur", "en_US");
        orgs.saveDefaultChannel(
                new Channel(org.id(), settings.phoneNumberId(), settings.wabaId(), settings.accessToken(), 80));
        Invitations.Invited invited = invitations
                .invite(org.id(), "Demo Agent", DEMO_EMAIL, UserAccounts.Role.ADMIN)
                .orElseThrow();
        String userId = invited.account().userId();
        Customer customer =
                customers.create(org.id(), DEMO_PHONE, "Demo Customer").orElseThrow();
        ApiKeys.CreatedApiKey key = apiKeys.create(org.id(), "demo");
        writeIn(DEMO_PHONE);

        Map<String, String> demo = new LinkedHashMap<>();
        demo.put("orgId", org.id());
        demo.put("userId", userId);
        demo.put("customerId", customer.id());
        demo.put("apiKey", key.key());
        demo.put("adminToken", admin.token());
        demo.put("baseUrl", graph.localUrl());
        demo.put("consoleEmail", DEMO_EMAIL);
        demo.put("consoleInviteUrl", graph.localUrl() + invited.path());
        demo.put("customerPhone", DEMO_PHONE);
        DataDir.writePrivate(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(demo) + "\n");
        System.out.printf(
                """

                ==== RH WhatsApp API: demo organization (shown once; also in %s) ====
                  orgId      %s
                  userId     %s
                  customerId %s   (phone %s, has written in: the 24-hour window is open)
                  apiKey     %s
                  docs       %s/docs
                  console    %s/console   (sign in as %s: set a password at the one-time link below)
                  sign-in link %s

                  curl %s/whatsapp/messages/send -H 'X-API-KEY: %s' -H 'Content-Type: application/json' \\
                    --data '{"message":{"type":"text","text":{"body":"testing msg"}},"sessionId":"demo-session",\
                "customerId":"%s","userId":"%s","orgId":"%s"}'
                ======================================================================

                """,
                file,
                org.id(),
                userId,
                customer.id(),
                DEMO_PHONE,
                key.key(),
                graph.localUrl(),
                graph.localUrl(),
                DEMO_EMAIL,
                graph.localUrl() + invited.path(),
                graph.localUrl(),
                key.key(),
                customer.id(),
                userId,
                org.id());
    }

    /** The demo customer writes in through the sandbox: a real signed webhook reaches this gateway. */
    private void writeIn(String phone) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(graph.localUrl() + "/sandbox/customers/" + phone + "/messages"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hi! I'd like to know more.\"}"))
                .build();
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn("The demo customer could not write in: {} {}", response.statusCode(), response.body());
            }
        }
    }
}
