package com.replyhero.whatsapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The gateway: every feature package below this one, the built-in sandbox included (it answers while it is the
 * upstream). {@code java -jar} starts it through {@code launcher.Launcher}, which also starts the sandbox alone.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        GracefulShutdown.install(SpringApplication.run(GatewayApplication.class, args));
    }
}
