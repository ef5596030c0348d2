package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.templates.OrgBroadcasts;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The org's templates with their status at Meta (as {@code GET /whatsapp/templates}, the read scope). */
@Controller
class AdminTemplatesController {

    private final OrgBroadcasts broadcasts;

    AdminTemplatesController(OrgBroadcasts broadcasts) {
        this.broadcasts = broadcasts;
    }

    @GetMapping("/console/admin/templates")
    String templates(ConsoleUser user, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("templates", broadcasts.templates(caller.orgId(), 500));
        return "console/admin/templates";
    }
}
