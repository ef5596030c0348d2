package com.replyhero.whatsapp;

import com.replyhero.whatsapp.ceiling.CeilingApplication;
import com.replyhero.whatsapp.sandbox.SandboxApplication;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The gateway. {@code --sandbox-only} starts just the Cloud API sandbox (no database), {@code --ceiling} just the
 * benchmark's ceiling app (one insert per request); both for benchmarks.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(
        excludeFilters = {
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
            @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
            // the standalone sandbox is its own application, with its own auto-configuration
            @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = SandboxApplication.class),
            // so is the benchmark's ceiling
            @ComponentScan.Filter(type = FilterType.REGEX, pattern = "com\\.replyhero\\.whatsapp\\.ceiling\\..*")
        })
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    public static final String SANDBOX_ONLY = "--sandbox-only";

    public static void main(String[] args) {
        if (Arrays.asList(args).contains(SANDBOX_ONLY)) {
            SandboxApplication.run(args);
            return;
        }
        if (Arrays.asList(args).contains(CeilingApplication.CEILING)) {
            CeilingApplication.run(args);
            return;
        }
        GracefulShutdown.install(SpringApplication.run(GatewayApplication.class, args));
    }
}
