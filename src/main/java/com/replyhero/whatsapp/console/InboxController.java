package com.replyhero.whatsapp.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The agents' inbox: the org's conversations by last activity, one conversation at a time. */
@Controller
class InboxController {

    @GetMapping("/console/inbox")
    String inbox(ConsoleUser user) {
        return "console/inbox";
    }
}
