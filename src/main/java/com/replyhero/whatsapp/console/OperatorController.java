package com.replyhero.whatsapp.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The operator area: orgs, their channels and users, health. */
@Controller
class OperatorController {

    @GetMapping("/console/operator")
    String operator() {
        return "console/operator";
    }
}
