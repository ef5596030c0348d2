package com.replyhero.whatsapp.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.replyhero.whatsapp.support.Api;
import com.replyhero.whatsapp.support.GatewayTest;
import com.replyhero.whatsapp.support.TestOrg;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A recipient is never marked {@code sending} once its customer opted out, even when a node claimed it before the
 * opt-out: the mark itself checks.
 */
class BroadcastRecipientsOptOutTest extends GatewayTest {

    @Autowired
    private BroadcastRecipients recipients;

    @Test
    void aRecipientWhoseCustomerOptedOutAfterTheClaimIsNotMarkedSending() {
        TestOrg org = anOrg();
        String stays = aCustomer(org).get("id").asString();
        String leaves = aCustomer(org).get("id").asString();
        Map<String, Object> send = helloWorldSend(org);
        send.put("sendAt", OffsetDateTime.now().plusMinutes(30).toString());
        Api.Response scheduled = api.post("/whatsapp/template/send", send, org.key());
        assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(202);
        String broadcastId = scheduled.json().get("id").asString();
        assertThat(api.patch("/whatsapp/customers/" + leaves, Map.of("optedOut", true), org.key())
                        .status())
                .isEqualTo(200);
        try {
            for (Message m : recipients.ofBroadcast(org.orgId(), broadcastId, null, 10)) {
                boolean marked = recipients
                        .markSending(org.orgId(), m.id(), Duration.ofSeconds(30))
                        .isPresent();
                assertThat(marked).as(m.customerId()).isEqualTo(m.customerId().equals(stays));
            }
        } finally {
            api.post("/whatsapp/template/broadcasts/" + broadcastId + "/cancel", Map.of(), org.key());
        }
    }
}
