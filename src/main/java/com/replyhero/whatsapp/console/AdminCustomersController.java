package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.customers.Customer;
import com.replyhero.whatsapp.customers.Customers;
import com.replyhero.whatsapp.customers.Traits;
import com.replyhero.whatsapp.web.ApiException;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The org's customers: search by phone prefix or tag, opt out (or back in), edit tags. The same service and rules as
 * {@code /whatsapp/customers}: reading needs read, a change send; tags are checked as the API checks them.
 */
@Controller
class AdminCustomersController {

    private static final int PAGE = 50;

    private final Customers customers;

    AdminCustomersController(Customers customers) {
        this.customers = customers;
    }

    @GetMapping("/console/admin/customers")
    String customers(
            ConsoleUser user,
            @RequestParam(required = false) String phone,
            @RequestParam(required = false) String tag,
            @RequestParam(required = false) String after,
            Model model) {
        Caller caller = user.callerWith(Scope.READ);
        String prefix = phone == null || phone.isBlank() ? null : phone.replaceAll("[^0-9]", "");
        String onlyTag = tag == null || tag.isBlank()
                ? null
                : Traits.tags(List.of(tag.strip()), "tag").getFirst();
        String cursor = after == null || after.isBlank() ? null : after;
        List<Customer> rows = customers.list(caller.orgId(), prefix, onlyTag, cursor, PAGE + 1);
        List<Customer> page = rows.size() > PAGE ? rows.subList(0, PAGE) : rows;
        model.addAttribute("customers", page);
        model.addAttribute("next", rows.size() > PAGE ? page.getLast().id() : null);
        model.addAttribute("phone", phone == null ? "" : phone);
        model.addAttribute("tag", tag == null ? "" : tag);
        return "console/admin/customers";
    }

    @GetMapping("/console/admin/customers/{id}")
    String customer(ConsoleUser user, @PathVariable String id, Model model) {
        Caller caller = user.callerWith(Scope.READ);
        model.addAttribute("customer", existing(caller, id));
        return "console/admin/customer";
    }

    @PostMapping("/console/admin/customers/{id}/opt-out")
    String optOut(ConsoleUser user, @PathVariable String id, @RequestParam boolean optedOut) {
        Caller caller = user.callerWith(Scope.SEND);
        existing(caller, id);
        customers.update(caller.orgId(), id, optedOut, null, null, null).orElseThrow(() -> notFound());
        return "redirect:/console/admin/customers/" + id + "?saved";
    }

    @PostMapping("/console/admin/customers/{id}/tags")
    String tags(ConsoleUser user, @PathVariable String id, @RequestParam(defaultValue = "") String tags) {
        Caller caller = user.callerWith(Scope.SEND);
        existing(caller, id);
        List<String> given = Arrays.stream(tags.split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList();
        customers
                .update(caller.orgId(), id, null, null, Traits.tags(given, "tags"), null)
                .orElseThrow(() -> notFound());
        return "redirect:/console/admin/customers/" + id + "?saved";
    }

    private Customer existing(Caller caller, String id) {
        return customers.find(caller.orgId(), id).orElseThrow(AdminCustomersController::notFound);
    }

    private static ApiException notFound() {
        return ApiException.notFound("customer", "customerId");
    }
}
