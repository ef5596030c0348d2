package com.replyhero.whatsapp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest extends GatewayTest {

    @Test
    void aKeyIsShownOnceAndOnlyItsHashIsStored() {
        TestOrg org = anOrg();

        Api.Response created = api.post("/whatsapp/api-keys", Map.of("name", "ci"), org.key());
        String key = created.json().get("key").asString();
        Api.Response listed = api.get("/whatsapp/api-keys", org.key());

        assertThat(created.status()).isEqualTo(201);
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
        assertThat(listed.text())
                .doesNotContain(key)
                .contains(created.json().get("hint").asString());
        List<Map<String, Object>> rows = db.sql("SELECT * FROM api_keys WHERE org_id = ?")
                .param(org.orgId())
                .query()
                .listOfRows();
        assertThat(rows).hasSize(2);
        assertThat(rows.toString()).doesNotContain(key);
    }

    @Test
    void aNewKeyWorksAndARevokedKeyStopsAtOnce() {
        TestOrg org = anOrg();
        Api.Response created = api.post("/whatsapp/api-keys", Map.of("name", "temp"), org.key());
        String key = created.json().get("key").asString();
        String id = created.json().get("id").asString();

        Api.Response before = api.get("/whatsapp/customers", "X-API-KEY", key);
        Api.Response revoked = api.delete("/whatsapp/api-keys/" + id, org.key());
        Api.Response after = api.get("/whatsapp/customers", "X-API-KEY", key);

        assertThat(before.status()).isEqualTo(200);
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(after.status()).isEqualTo(401);
        assertThat(api.get("/whatsapp/customers", org.key()).status()).isEqualTo(200);
    }

    @Test
    void anotherOrgsKeyCannotBeRevoked() {
        TestOrg mine = anOrg();
        TestOrg theirs = anOrg();
        String theirKeyId = api.get("/whatsapp/api-keys", theirs.key())
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();

        Api.Response answer = api.delete("/whatsapp/api-keys/" + theirKeyId, mine.key());

        assertThat(answer.status()).isEqualTo(404);
        assertThat(api.get("/whatsapp/customers", theirs.key()).status()).isEqualTo(200);
    }

    @Test
    void customersAreCreatedAndListedPerOrg() {
        TestOrg mine = anOrg();
        TestOrg theirs = anOrg();
        api.post("/whatsapp/customers", Map.of("phone", "60111111111", "name", "A"), mine.key());
        api.post("/whatsapp/customers", Map.of("phone", "60122222222", "name", "B"), mine.key());
        api.post("/whatsapp/customers", Map.of("phone", "60111111111", "name", "C"), theirs.key());

        Api.Response duplicate = api.post("/whatsapp/customers", Map.of("phone", "60111111111"), mine.key());
        Api.Response otherOrg =
                api.post("/whatsapp/customers", Map.of("phone", "60133333333", "orgId", theirs.orgId()), mine.key());
        Api.Response search = api.get("/whatsapp/customers?phone=60111", mine.key());
        Api.Response firstPage = api.get("/whatsapp/customers?limit=1", mine.key());
        Api.Response secondPage = api.get(
                "/whatsapp/customers?limit=1&cursor="
                        + firstPage.json().get("nextCursor").asString(),
                mine.key());

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(otherOrg.status()).isEqualTo(403);
        assertThat(search.json().get("data")).hasSize(1);
        assertThat(search.json().get("data").get(0).get("name").asString()).isEqualTo("A");
        assertThat(firstPage.json().get("data")).hasSize(1);
        assertThat(secondPage.json().get("data").get(0).get("name").asString()).isEqualTo("B");
        assertThat(secondPage.json().has("nextCursor")).isFalse();
    }

    @Test
    void aNameWithANulCharacterIsRefusedAndNoKeyIsCreated() {
        TestOrg org = anOrg();
        int before = api.get("/whatsapp/api-keys", org.key()).json().get("data").size();

        Api.Response answer = api.post("/whatsapp/api-keys", Map.of("name", "ci\u0000"), org.key());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("field").asString()).isEqualTo("name");
        assertThat(api.get("/whatsapp/api-keys", org.key()).json().get("data").size())
                .isEqualTo(before);
    }
}
