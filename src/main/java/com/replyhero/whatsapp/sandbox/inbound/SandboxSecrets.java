package com.replyhero.whatsapp.sandbox.inbound;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.cloudapi.MetaAppSettings;
import com.replyhero.whatsapp.sandbox.SandboxEnabled;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/** The app secret the sandbox signs webhooks with: the same setting (and generated file) the gateway checks. */
@Component
@Conditional(SandboxEnabled.class)
class SandboxSecrets {

    private final String appSecret;

    SandboxSecrets(DataDir dataDir, MetaAppSettings settings) {
        this.appSecret = dataDir.secret("meta-app-secret", settings.appSecret());
    }

    String appSecret() {
        return appSecret;
    }
}
