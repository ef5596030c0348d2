package com.replyhero.whatsapp.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.orgs.UserAccounts.Role;
import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.ConsoleSession;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operator area over HTTP, and the operator API's invitation (POST /admin/orgs/{orgId}/users with an email). */
class OperatorAreaTest extends GatewayTest {

    private ConsoleSession operator() {
        return ConsoleSession.signedIn(api.baseUrl(), "operator", admin()[1].substring("Bearer ".length()));
    }

    @Test
    void theOperatorCreatesAnOrgAndInvitesItsFirstAdmin() {
        ConsoleSession operator = operator();
        ConsoleSession.Page home = operator.get("/console/operator");
        assertThat(home.body()).contains("<h1>Operator</h1>", "id=\"health-status\">UP<");
        String name = "Org " + randomDigits(8);

        ConsoleSession.Page created = operator.post("/console/operator/orgs", Map.of("name", name));

        assertThat(created.location()).contains("/console/operator/orgs/");
        String orgPath = created.location().substring(created.location().indexOf("/console/operator/orgs/"));
        String orgId = orgPath.substring("/console/operator/orgs/".length());
        assertThat(api.get("/admin/orgs/" + orgId, admin()).json().get("name").asString())
                .isEqualTo(name);
        assertThat(operator.get("/console/operator").body()).contains(name);
        assertThat(operator.get(orgPath).body())
                .contains(name, "No channel yet.")
                .doesNotContain(" style=", "<script>");
        String email = "first" + randomDigits(8) + "@example.com";
        ConsoleSession.Page invited =
                operator.post(orgPath + "/users", Map.of("name", "Fatimah", "email", email, "role", "admin"));
        String link = between(invited.body(), "id=\"invite-link\" class=\"secret\">", "<");
        assertThat(link).startsWith(api.baseUrl() + "/console/invite?token=");
        ConsoleSession firstAdmin = ConsoleSession.accepting(
                api.baseUrl(), link.substring(api.baseUrl().length()), CONSOLE_PASSWORD);
        assertThat(firstAdmin.get("/console/admin/users").body()).contains(email, "admin");
        assertThat(operator.get(orgPath).body()).contains(email);
    }

    @Test
    void anOrgsChannelShowsOnlyItsTokenHint() {
        TestOrg org = anOrg();
        String token = sandbox.accessToken();

        ConsoleSession.Page page = operator().get("/console/operator/orgs/" + org.orgId());

        assertThat(page.body()).contains(org.phoneNumberId(), "****" + token.substring(token.length() - 4));
        assertThat(page.body()).doesNotContain(token);
        assertThat(operator().get("/console/operator/orgs/nosuchorg").status()).isEqualTo(404);
    }

    @Test
    void anOrgAdminCannotOpenTheOperatorArea() {
        TestOrg org = anOrg();
        ConsoleSession admin = aConsoleUser(org, Role.ADMIN);

        assertThat(admin.get("/console/operator").status()).isEqualTo(403);
        assertThat(admin.get("/console/operator/orgs/" + org.orgId()).status()).isEqualTo(403);
    }

    @Test
    void theOperatorApiInvitesAUserWithAnEmailAndARole() {
        TestOrg org = anOrg();
        String email = "api" + randomDigits(8) + "@example.com";

        Api.Response invited = api.post(
                "/admin/orgs/" + org.orgId() + "/users",
                Map.of("name", "Ravi", "email", email, "role", "admin"),
                admin());

        assertThat(invited.status()).as(invited.text()).isEqualTo(201);
        assertThat(invited.json().get("role").asString()).isEqualTo("admin");
        String inviteUrl = invited.json().get("inviteUrl").asString();
        assertThat(inviteUrl).startsWith("/console/invite?token=");
        ConsoleSession ravi = ConsoleSession.accepting(api.baseUrl(), inviteUrl, CONSOLE_PASSWORD);
        assertThat(ravi.get("/console/admin/keys").status()).isEqualTo(200);
        assertThat(api.post(
                                "/admin/orgs/" + org.orgId() + "/users",
                                Map.of("name", "Ravi again", "email", email),
                                admin())
                        .status())
                .isEqualTo(409);
        assertThat(api.post("/admin/orgs/" + org.orgId() + "/users", Map.of("name", "Nobody", "role", "admin"), admin())
                        .status())
                .isEqualTo(400);
        Api.Response plain = api.post("/admin/orgs/" + org.orgId() + "/users", Map.of("name", "No sign-in"), admin());
        assertThat(plain.status()).isEqualTo(201);
        assertThat(plain.json().has("inviteUrl")).isFalse();
    }

    private static String between(String body, String before, String after) {
        Matcher found = Pattern.compile(Pattern.quote(before) + "(.*?)" + Pattern.quote(after), Pattern.DOTALL)
                .matcher(body);
        assertThat(found.find()).as("%s in %s", before, body).isTrue();
        return found.group(1).strip();
    }
}
