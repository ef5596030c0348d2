package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SealedOrgColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Channel access tokens, as the pass that moves sealed secrets to the current key sees them. */
@Configuration(proxyBeanMethods = false)
class SealedChannelTokens {

    @Bean
    SealedColumn channelTokensColumn(JdbcClient db, SecretBox secrets) {
        return new SealedOrgColumn(db, secrets, "channels", "access_token", Channel::tokenContext);
    }
}
