package com.replyhero.whatsapp.sandbox;

import com.replyhero.whatsapp.DataDir;
import com.replyhero.whatsapp.DataDirSettings;
import com.replyhero.whatsapp.cloudapi.MetaAppSettings;
import com.replyhero.whatsapp.customers.CustomerSettings;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The sandbox on its own ({@code java -jar rh-whatsapp-api.jar --sandbox-only}): the Graph endpoints and
 * simulated customers, no database, for benchmarks and multi-node tests. Point the gateway at it with
 * {@code RH_GRAPH_URL=http://127.0.0.1:<port>/sandbox/graph} and give both the same {@code RH_META_APP_SECRET};
 * the sandbox sends its webhooks to {@code RH_SANDBOX_WEBHOOK_URL}. Inside the gateway the property
 * {@code rh.sandbox.standalone} is unset, so the gateway's component scan leaves this class (and its auto-configuration
 * without a database) out and takes only the sandbox's components.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            // the console's Spring Security and sessions are the gateway's: the sandbox has no console
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
            "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration"
        })
@ConditionalOnProperty(name = "rh.sandbox.standalone", havingValue = "true")
@ComponentScan(basePackageClasses = SandboxApplication.class)
@Import(DataDir.class)
@ConfigurationPropertiesScan(basePackageClasses = SandboxApplication.class)
@EnableConfigurationProperties({DataDirSettings.class, MetaAppSettings.class, CustomerSettings.class})
public class SandboxApplication {

    public static ConfigurableApplicationContext run(String[] args) {
        SpringApplication app = new SpringApplication(SandboxApplication.class);
        app.setMainApplicationClass(SandboxApplication.class); // the log names the sandbox, not the launcher
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("rh.sandbox.standalone", "true");
        defaults.put("spring.application.name", "rh-whatsapp-sandbox");
        defaults.put("rh.sandbox.webhook-url", "${RH_SANDBOX_WEBHOOK_URL:http://127.0.0.1:8080/webhooks/meta}");
        defaults.put("springdoc.api-docs.enabled", "false");
        app.setDefaultProperties(defaults);
        return app.run(args);
    }
}
