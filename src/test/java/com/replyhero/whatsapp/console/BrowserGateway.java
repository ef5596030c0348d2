package com.replyhero.whatsapp.console;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A browser suite's gateway ({@code @RegisterExtension static final BrowserGateway gateway = ...}): the packaged jar
 * started once for the class with these settings when chromium is installed, each test skipped (or failed, with
 * RH_REQUIRE_BROWSER) when it is not, and the gateway stopped after the class.
 */
final class BrowserGateway implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final String[] settings;
    private RunningGateway gateway;

    BrowserGateway(String... settings) {
        this.settings = settings;
    }

    RunningGateway get() {
        return gateway;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (Browser.installed()) {
            gateway = RunningGateway.start(settings);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Browser.assumeInstalled();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
