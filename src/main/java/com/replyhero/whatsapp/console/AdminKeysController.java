package com.replyhero.whatsapp.console;

import com.replyhero.whatsapp.apikeys.ApiKeys;
import com.replyhero.whatsapp.apikeys.Caller;
import com.replyhero.whatsapp.apikeys.Scope;
import com.replyhero.whatsapp.web.ApiException;
import com.replyhero.whatsapp.web.Require;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The org's API keys: list, create with scopes (the key shown once, on the answer page), revoke. The same service
 * and the same rules as {@code /whatsapp/api-keys}: the manage_keys scope, and a key only with scopes the caller holds.
 */
@Controller
class AdminKeysController {

    private final ApiKeys apiKeys;

    AdminKeysController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GetMapping("/console/admin/keys")
    String keys(ConsoleUser user, Model model) {
        Caller caller = user.callerWith(Scope.MANAGE_KEYS);
        model.addAttribute("keys", apiKeys.list(caller.orgId(), 1000));
        model.addAttribute("scopes", Scope.values());
        return "console/admin/keys";
    }

    @PostMapping("/console/admin/keys")
    String create(
            ConsoleUser user,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) List<String> scopes,
            Model model,
            HttpServletResponse response) {
        Caller caller = user.callerWith(Scope.MANAGE_KEYS);
        Set<Scope> chosen = scopes(scopes);
        chosen.forEach(caller::requireScope);
        ApiKeys.CreatedApiKey key = apiKeys.create(
                caller.orgId(),
                name == null || name.isBlank() ? "default" : Require.text(name, "name", 100),
                chosen,
                null);
        // the only page that shows the key: no cache may keep it
        response.setHeader("Cache-Control", "no-store");
        model.addAttribute("key", key);
        return "console/admin/key-created";
    }

    @PostMapping("/console/admin/keys/{id}/revoke")
    String revoke(ConsoleUser user, @PathVariable String id) {
        Caller caller = user.callerWith(Scope.MANAGE_KEYS);
        if (!apiKeys.revoke(caller.orgId(), id)) {
            throw ApiException.notFound("api_key", "id");
        }
        return "redirect:/console/admin/keys?revoked";
    }

    private static Set<Scope> scopes(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw ApiException.invalid("scopes", "Choose at least one scope for the key.");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) {
            scopes.add(Scope.of(name).orElseThrow(() -> ApiException.invalid("scopes", "Unknown scope: " + name)));
        }
        return scopes;
    }
}
