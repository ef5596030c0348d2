package com.replyhero.whatsapp.events;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SealedOrgColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Org event endpoints' signing secrets, as the pass that moves sealed secrets to the current key sees them. */
@Configuration(proxyBeanMethods = false)
class SealedEventSecrets {

    @Bean
    SealedColumn eventSecretsColumn(JdbcClient db, SecretBox secrets) {
        return SealedOrgColumn.onePerOrg(db, secrets, "org_webhooks", "secret", EventEndpoints::secretContext);
    }
}
