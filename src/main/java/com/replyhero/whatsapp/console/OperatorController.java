package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.orgs.ChannelHealth;
import com.replyhero.whatsapp.orgs.Org;
import com.replyhero.whatsapp.orgs.Orgs;
import com.replyhero.whatsapp.orgs.UserAccounts;
import com.replyhero.whatsapp.web.Require;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The operator area: orgs (list, create), an org's channels (the token only as a hint) and users (invite), and the
 * gateway's health (the actuator's status and the backlog gauges the metrics export). The same services as the
 * operator's {@code /admin/orgs/**} API.
 */
@Controller
class OperatorController {

    /** The backlog gauges shown, with what they count. */
    private static final Map<String, String> BACKLOGS = java.util.stream.Stream.of(
                    new String[] {"rh.messages.queued", "Messages queued"},
                    new String[] {"rh.messages.queue.age.seconds", "Oldest due message waited (s)"},
                    new String[] {"rh.messages.unknown", "Sends with an unknown outcome"},
                    new String[] {"rh.events.pending", "Org events pending"},
                    new String[] {"rh.events.dead", "Org events dead"},
                    new String[] {"rh.webhooks.unprocessed", "Meta webhooks not yet applied"})
            .collect(
                    java.util.stream.Collectors.toMap(e -> e[0], e -> e[1], (a, b) -> a, java.util.LinkedHashMap::new));

    private final Orgs orgs;
    private final UserAccounts accounts;
    private final Invitations invitations;
    private final HealthEndpoint health;
    private final MeterRegistry meters;

    OperatorController(
            Orgs orgs, UserAccounts accounts, Invitations invitations, HealthEndpoint health, MeterRegistry meters) {
        this.orgs = orgs;
        this.accounts = accounts;
        this.invitations = invitations;
        this.health = health;
        this.meters = meters;
    }

    /** One line of the health summary. */
    record Backlog(String name, String label, String value) {}

    /** A channel as the operator sees it: never the token, only its hint. */
    record ChannelRow(
            String id,
            String name,
            String phoneNumberId,
            String wabaId,
            String tokenHint,
            boolean isDefault,
            String quality) {}

    @GetMapping("/console/operator")
    String operator(Model model) {
        model.addAttribute("orgs", orgs.list(1000));
        model.addAttribute("health", health.health().getStatus().getCode());
        model.addAttribute("backlogs", backlogs());
        return "console/operator";
    }

    @PostMapping("/console/operator/orgs")
    String create(@RequestParam(required = false) String name) {
        Org org = orgs.create(Require.text(name, "name", 200), Orgs.DEFAULT_TIME_ZONE, Orgs.DEFAULT_LANGUAGE);
        return "redirect:/console/operator/orgs/" + org.id();
    }

    @GetMapping("/console/operator/orgs/{orgId}")
    String org(@PathVariable String orgId, Model model) {
        Org org = orgs.get(orgId);
        Map<String, ChannelHealth> health = orgs.health(orgId);
        List<ChannelRow> channels = orgs.channels(orgId).stream()
                .map(c -> new ChannelRow(
                        c.id(),
                        c.name(),
                        c.phoneNumberId(),
                        c.wabaId(),
                        c.accessTokenHint(),
                        c.isDefault(),
                        quality(health.get(c.id()))))
                .toList();
        model.addAttribute("org", org);
        model.addAttribute("channels", channels);
        model.addAttribute("users", accounts.list(orgId, 1000));
        return "console/operator-org";
    }

    @PostMapping("/console/operator/orgs/{orgId}/users")
    String invite(@PathVariable String orgId, InviteForm form, Model model, HttpServletResponse response) {
        orgs.get(orgId);
        return AdminUsersController.invited(form.invite(invitations, orgId), model, response);
    }

    private List<Backlog> backlogs() {
        return BACKLOGS.entrySet().stream()
                .map(e -> {
                    Gauge gauge = meters.find(e.getKey()).gauge();
                    return new Backlog(
                            e.getKey(),
                            e.getValue(),
                            gauge == null ? "not read yet" : Long.toString(Math.round(gauge.value())));
                })
                .toList();
    }

    private static String quality(ChannelHealth health) {
        return health == null || health.qualityRating() == null ? "not reported" : health.qualityRating();
    }
}
