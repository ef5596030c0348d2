package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.templates.OrgBroadcasts;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The org's broadcasts: progress (refreshed every two seconds by htmx while one is under way), records, pause,
 * resume and cancel. The same service and scopes as {@code /whatsapp/template/broadcasts/**}.
 */
@Controller
class AdminBroadcastsController {

    private final OrgBroadcasts broadcasts;

    AdminBroadcastsController(OrgBroadcasts broadcasts) {
        this.broadcasts = broadcasts;
    }

    @GetMapping("/console/admin/broadcasts")
    String broadcasts(ConsoleUser user, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("broadcasts", broadcasts.list(caller.orgId(), 100));
        return "console/admin/broadcasts";
    }

    @GetMapping("/console/admin/broadcasts/{id}")
    String broadcast(ConsoleUser user, @PathVariable String id, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("progress", broadcasts.progress(caller.orgId(), id));
        model.addAttribute("records", broadcasts.records(caller.orgId(), id, null, 200));
        return "console/admin/broadcast";
    }

    /** The progress alone, for htmx to swap in. */
    @GetMapping("/console/admin/broadcasts/{id}/progress")
    String progress(ConsoleUser user, @PathVariable String id, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("progress", broadcasts.progress(caller.orgId(), id));
        return "console/admin/broadcast :: progress";
    }

    @PostMapping("/console/admin/broadcasts/{id}/pause")
    String pause(ConsoleUser user, @PathVariable String id) {
        Caller caller = user.callerWith(Scope.SEND);
        broadcasts.pause(caller.orgId(), id);
        return "redirect:/console/admin/broadcasts/" + id;
    }

    @PostMapping("/console/admin/broadcasts/{id}/resume")
    String resume(ConsoleUser user, @PathVariable String id) {
        Caller caller = user.callerWith(Scope.SEND);
        broadcasts.resume(caller.orgId(), id);
        return "redirect:/console/admin/broadcasts/" + id;
    }

    @PostMapping("/console/admin/broadcasts/{id}/cancel")
    String cancel(ConsoleUser user, @PathVariable String id) {
        Caller caller = user.callerWith(Scope.SEND);
        broadcasts.cancel(caller.orgId(), id);
        return "redirect:/console/admin/broadcasts/" + id;
    }
}
