package com.replyhero.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The settings are checked when the gateway starts: a value out of range stops the start, and the operator reads
 * which setting, which value and why (Spring Boot's failure report, as {@code java -jar} prints it).
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsAtStartTest {

    @TempDir
    java.nio.file.Path dataDir;

    /** Every settings record of the gateway and nothing else: what binds them is what the gateway runs. */
    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan(basePackageClasses = GatewayApplication.class)
    static class TheSettings {}

    @Test
    void aRateMarginAboveOneStopsTheStartNamingTheSetting(CapturedOutput output) {
        assertThatThrownBy(() -> start("--rh.broadcasts.rate-margin=2")).isInstanceOf(Exception.class);

        assertThat(output)
                .contains("Binding to target " + "com.replyhero.whatsapp.templates.BroadcastSettings failed")
                .contains("Origin: \"rh.broadcasts.rate-margin\" from property source \"commandLineArgs\"")
                .contains("Reason: must be less than or equal to 1");
    }

    @Test
    void aNegativeDurationStopsTheStartNamingTheSetting(CapturedOutput output) {
        assertThatThrownBy(() -> start("--rh.events.timeout=-5s")).isInstanceOf(Exception.class);

        assertThat(output)
                .contains("Property: rh.events.timeout")
                .contains("Reason: must be longer than or equal to 1 milli");
    }

    @Test
    void anEmptyBodyLimitStopsTheStartNamingTheSetting(CapturedOutput output) {
        assertThatThrownBy(() -> start("--rh.limits.json-body=0KB")).isInstanceOf(Exception.class);

        assertThat(output).contains("rh.limits.json-body must be above 0");
    }

    @Test
    void aValueThatIsNoDurationStopsTheStartNamingTheSetting(CapturedOutput output) {
        assertThatThrownBy(() -> start("--rh.outbox.claim-lease=soon")).isInstanceOf(Exception.class);

        assertThat(output).contains("Property: rh.outbox.claim-lease").contains("'soon' is not a valid duration");
    }

    @Test
    void theDefaultsStart() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.isActive()).isTrue();
        }
    }

    private ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--rh.data-dir=" + dataDir;
        System.arraycopy(args, 0, all, 1, args.length);
        return new SpringApplicationBuilder(TheSettings.class)
                .web(WebApplicationType.NONE)
                .run(all);
    }
}
