package com.replyhero.bench.ceiling;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;

/**
 * The benchmark's ceiling ({@code bench/run.sh} starts it from the test classpath; it is not in the gateway's
 * jar): the gateway's framework stack (Spring Boot, Tomcat on virtual threads, Hikari, JdbcClient, Jackson, the
 * gateway's application.properties) answering a POST by inserting one row into PostgreSQL, the least work any
 * durable gateway must do per request. Point it at the gateway's database with {@code --spring.datasource.url=...};
 * its table is {@code ceiling.requests}, created if absent. Outside the gateway's packages, so no test context of
 * the gateway scans it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ComponentScan(basePackageClasses = CeilingApplication.class)
public class CeilingApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(CeilingApplication.class);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.application.name", "rh-ceiling");
        defaults.put("springdoc.api-docs.enabled", "false");
        app.setDefaultProperties(defaults);
        app.run(args);
    }
}
