package com.replyhero.whatsapp.ceiling;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The benchmark's ceiling ({@code java -jar rh-whatsapp-api.jar --ceiling}): the gateway's framework stack
 * (Spring Boot, Tomcat on virtual threads, Hikari, JdbcClient, Jackson) answering a POST by inserting one row
 * into PostgreSQL, the least work any durable gateway must do per request. Point it at the gateway's database
 * with {@code --spring.datasource.url=...}; its table is {@code ceiling.requests}, created if absent.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ComponentScan(basePackageClasses = CeilingApplication.class)
public class CeilingApplication {

    public static final String CEILING = "--ceiling";

    public static void run(String[] args) {
        SpringApplication app = new SpringApplication(CeilingApplication.class);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.application.name", "rh-ceiling");
        defaults.put("springdoc.api-docs.enabled", "false");
        app.setDefaultProperties(defaults);
        app.run(Arrays.stream(args).filter(a -> !a.equals(CEILING)).toArray(String[]::new));
    }
}
