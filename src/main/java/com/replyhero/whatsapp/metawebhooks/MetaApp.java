package com.replyhero.whatsapp.metawebhooks;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.cloudapi.MetaAppSettings;
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

    MetaApp(DataDir dataDir, MetaAppSettings settings) {
        this.appSecret = dataDir.secret("meta-app-secret", settings.appSecret());
        this.verifyToken = dataDir.secret("meta-verify-token", settings.verifyToken());
    }

    public String appSecret() {
        return appSecret;
    }

    public String verifyToken() {
        return verifyToken;
    }
}
