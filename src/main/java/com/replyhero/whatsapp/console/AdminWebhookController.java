package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.events.OrgWebhook;
import com.replyhero.whatsapp.events.WebhookSignature;
import com.replyhero.whatsapp.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The org's events webhook: its URL, a new secret (shown once), the deliveries with their attempts, the dead letters
 * and their replay. The same service and scopes as {@code /whatsapp/webhook}: reading needs read, setting the URL or
 * the secret manage_keys, a replay send.
 */
@Controller
class AdminWebhookController {

    private static final int PAGE = 50;

    private final OrgWebhook webhook;

    AdminWebhookController(OrgWebhook webhook) {
        this.webhook = webhook;
    }

    @GetMapping("/console/admin/webhook")
    String webhook(ConsoleUser user, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("endpoint", endpoint(caller.orgId()));
        model.addAttribute(
                "deliveries", webhook.events(caller.orgId(), null, null, PAGE).events());
        model.addAttribute(
                "dead", webhook.events(caller.orgId(), "dead", null, PAGE).events());
        return "console/admin/webhook";
    }

    @GetMapping("/console/admin/webhook/events/{id}")
    String event(ConsoleUser user, @PathVariable String id, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("event", webhook.event(caller.orgId(), id));
        return "console/admin/event";
    }

    @PostMapping("/console/admin/webhook")
    String save(
            ConsoleUser user, @RequestParam(required = false) String url, Model model, HttpServletResponse response) {
        Caller caller = user.callerWith(Scope.MANAGE_KEYS);
        boolean first = endpoint(caller.orgId()) == null;
        OrgWebhook.WebhookView saved = webhook.save(caller.orgId(), url, null);
        if (!first) {
            return "redirect:/console/admin/webhook?saved"; // a changed URL keeps the secret
        }
        // the first URL gets a new secret: shown now, once
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("saved", saved);
        return "console/admin/webhook-secret";
    }

    @PostMapping("/console/admin/webhook/rotate")
    String rotate(ConsoleUser user, Model model, HttpServletResponse response) {
        Caller caller = user.callerWith(Scope.MANAGE_KEYS);
        OrgWebhook.WebhookView current = webhook.view(caller.orgId());
        OrgWebhook.WebhookView saved = webhook.save(caller.orgId(), current.url(), WebhookSignature.newSecret());
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("saved", saved);
        return "console/admin/webhook-secret";
    }

    @PostMapping("/console/admin/webhook/events/{id}/replay")
    String replay(ConsoleUser user, @PathVariable String id) {
        Caller caller = user.callerWith(Scope.SEND);
        webhook.replay(caller.orgId(), id);
        return "redirect:/console/admin/webhook?replayed=" + id;
    }

    private OrgWebhook.WebhookView endpoint(String orgId) {
        try {
            return webhook.view(orgId);
        } catch (ApiException e) {
            if (e.status() == HttpStatus.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }
}
