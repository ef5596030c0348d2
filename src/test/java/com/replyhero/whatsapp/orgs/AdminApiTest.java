package com.replyhero.whatsapp.orgs;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminApiTest extends GatewayTest {

    @Test
    void theAdminApiRefusesAMissingOrWrongToken() {
        Api.Response none = api.post("/admin/orgs", Map.of("name", "x"));
        Api.Response wrong = api.post("/admin/orgs", Map.of("name", "x"), "Authorization", "Bearer nope");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asString()).isEqualTo("missing_admin_token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asString()).isEqualTo("invalid_admin_token");
    }

    @Test
    void anOperatorCreatesAnOrgWithItsChannelUsersCustomersAndKeys() {
        Api.Response org = api.post("/admin/orgs", Map.of("name", "Acme"), admin());
        String orgId = org.json().get("id").asString();

        Api.Response channel = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of(
                        "phoneNumberId",
                        "3" + randomDigits(14),
                        "wabaId",
                        "42",
                        "accessToken",
                        "EAAG-secret-token-1234",
                        "throughputPerSecond",
                        250),
                admin());
        Api.Response user = api.post("/admin/orgs/" + orgId + "/users", Map.of("name", "Aisha"), admin());
        Api.Response customer = api.post(
                "/admin/orgs/" + orgId + "/customers", Map.of("phone", "+60 12-345 6789", "name", "Ben"), admin());
        Api.Response key = api.post("/admin/orgs/" + orgId + "/api-keys", Map.of("name", "backend"), admin());

        assertThat(org.status()).isEqualTo(201);
        assertThat(org.json().get("timeZone").asString()).isEqualTo("Asia/Kuala_Lumpur");
        assertThat(channel.status()).isEqualTo(200);
        assertThat(channel.json().get("throughputPerSecond").asInt()).isEqualTo(250);
        assertThat(channel.text()).doesNotContain("EAAG-secret-token");
        assertThat(user.status()).isEqualTo(201);
        assertThat(customer.status()).isEqualTo(201);
        assertThat(customer.json().get("phone").asString()).isEqualTo("60123456789");
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().get("key").asString()).startsWith("rhk_");
        assertThat(api.get("/admin/orgs/" + orgId + "/users", admin()).json().get("data"))
                .hasSize(1);
        assertThat(api.get("/admin/orgs/" + orgId + "/customers", admin())
                        .json()
                        .get("data"))
                .hasSize(1);
        assertThat(api.get("/admin/orgs/" + orgId, admin())
                        .json()
                        .get("channel")
                        .get("accessTokenHint")
                        .asString())
                .isEqualTo("****1234");
        assertThat(api.get("/admin/orgs", admin()).text()).contains(orgId);
    }

    @Test
    void badAdminInputNamesTheField() {
        Api.Response noName = api.post("/admin/orgs", Map.of(), admin());
        Api.Response badZone = api.post("/admin/orgs", Map.of("name", "x", "timeZone", "Mars/Olympus"), admin());
        String orgId = api.post("/admin/orgs", Map.of("name", "y"), admin())
                .json()
                .get("id")
                .asString();
        Api.Response badPhone = api.post("/admin/orgs/" + orgId + "/customers", Map.of("phone", "call me"), admin());
        Api.Response badThroughput = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of("phoneNumberId", "1", "accessToken", "t", "throughputPerSecond", 5000),
                admin());
        Api.Response unknownOrg = api.post("/admin/orgs/nope/users", Map.of("name", "x"), admin());

        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asString()).isEqualTo("name");
        assertThat(badZone.json().get("field").asString()).isEqualTo("timeZone");
        assertThat(badPhone.status()).isEqualTo(400);
        assertThat(badPhone.json().get("field").asString()).isEqualTo("phone");
        assertThat(badThroughput.json().get("field").asString()).isEqualTo("throughputPerSecond");
        assertThat(unknownOrg.status()).isEqualTo(404);
        assertThat(unknownOrg.json().get("code").asString()).isEqualTo("org_not_found");
    }

    @Test
    void aPhoneNumberIdOrWabaIdThatIsNotMetasNumericIdIsRefusedNamingTheFieldAndNothingIsStored() {
        String orgId = api.post("/admin/orgs", Map.of("name", "ids"), admin())
                .json()
                .get("id")
                .asString();

        Api.Response pathInId = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of("phoneNumberId", "123/../../me", "accessToken", "t"),
                admin());
        Api.Response spaceInId = api.put(
                "/admin/orgs/" + orgId + "/channel", Map.of("phoneNumberId", "1 2", "accessToken", "t"), admin());
        Api.Response badWaba = api.put(
                "/admin/orgs/" + orgId + "/channel",
                Map.of("phoneNumberId", "123", "wabaId", "456?fields=x", "accessToken", "t"),
                admin());

        assertThat(pathInId.status()).isEqualTo(400);
        assertThat(pathInId.json().get("field").asString()).isEqualTo("phoneNumberId");
        assertThat(spaceInId.json().get("field").asString()).isEqualTo("phoneNumberId");
        assertThat(badWaba.status()).isEqualTo(400);
        assertThat(badWaba.json().get("field").asString()).isEqualTo("wabaId");
        assertThat(api.get("/admin/orgs/" + orgId + "/channel", admin()).status())
                .isEqualTo(404);
    }

    @Test
    void twoOrgsCannotShareAPhoneNumberId() {
        String a = api.post("/admin/orgs", Map.of("name", "a"), admin())
                .json()
                .get("id")
                .asString();
        String b = api.post("/admin/orgs", Map.of("name", "b"), admin())
                .json()
                .get("id")
                .asString();
        String number = "9" + randomDigits(14);

        api.put("/admin/orgs/" + a + "/channel", Map.of("phoneNumberId", number, "accessToken", "t"), admin());
        Api.Response taken =
                api.put("/admin/orgs/" + b + "/channel", Map.of("phoneNumberId", number, "accessToken", "t"), admin());

        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asString()).isEqualTo("phone_number_in_use");
    }
}
