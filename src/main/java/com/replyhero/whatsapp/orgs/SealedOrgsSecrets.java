package com.replyhero.whatsapp.orgs;

import com.replyhero.whatsapp.secrets.SealedColumn;
import com.replyhero.whatsapp.secrets.SealedOrgColumn;
import com.replyhero.whatsapp.secrets.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The orgs feature's sealed columns, as the pass that moves sealed secrets to the current key sees them: channels'
 * access tokens and users' two-factor secrets (an org has several of each).
 */
@Configuration(proxyBeanMethods = false)
class SealedOrgsSecrets {

    @Bean
    SealedColumn channelTokensColumn(JdbcClient db, SecretBox secrets) {
        return SealedOrgColumn.severalPerOrg(db, secrets, "channels", "access_token", Channel::tokenContext);
    }

    @Bean
    SealedColumn twoFactorSecretsColumn(JdbcClient db, SecretBox secrets) {
        return SealedOrgColumn.severalPerOrg(db, secrets, "users", "totp_secret", UserAccounts::twoFactorContext);
    }
}
