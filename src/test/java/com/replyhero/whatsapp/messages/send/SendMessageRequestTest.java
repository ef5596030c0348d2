package com.replyhero.whatsapp.messages.send;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SendMessageRequestTest {

    @Test
    void aTextRequestSerializesAsBeforeTheNewKindsSoItsIdempotencyHashIsUnchanged() {
        JsonMapper json = JsonMapper.builder().build();
        SendMessageRequest request = json.readValue("""
                {"message": {"type": "text", "text": {"body": "hi"}},
                 "sessionId": "s", "customerId": "c", "userId": "u", "orgId": "o"}""", SendMessageRequest.class);

        String serialized = json.writeValueAsString(request);

        // the hash is over this text (IdempotentRequest.hashOf): a retry across the upgrade must hash the same
        assertThat(serialized)
                .isEqualTo("{\"message\":{\"type\":\"text\",\"text\":{\"body\":\"hi\",\"previewUrl\":null},"
                        + "\"image\":null,\"document\":null,\"video\":null},\"sessionId\":\"s\",\"customerId\":\"c\","
                        + "\"userId\":\"u\",\"orgId\":\"o\",\"messageType\":null}");
    }
}
