package com.replyhero.whatsapp.webhooks;

import com.replyhero.whatsapp.DataDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Meta app's webhook secrets: the app secret that signs webhook bodies ({@code RH_META_APP_SECRET}) and
 * the verify token of the subscription handshake ({@code RH_META_VERIFY_TOKEN}). When unset (the sandbox),
 * they are generated once and kept in the data directory.
 */
@Component
public class MetaApp {

    private final String appSecret;
    private final String verifyToken;

    MetaApp(
            DataDir dataDir,
            @Value("${rh.meta.app-secret:}") String appSecret,
            @Value("${rh.meta.verify-token:}") String verifyToken) {
        this.appSecret = dataDir.secret("meta-app-secret", appSecret);
        this.verifyToken = dataDir.secret("meta-verify-token", verifyToken);
    }

    public String appSecret() {
        return appSecret;
    }

    public String verifyToken() {
        return verifyToken;
    }
}
