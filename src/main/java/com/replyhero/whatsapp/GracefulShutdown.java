package com.replyhero.whatsapp;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * SIGTERM, as a rolling restart sends it: the gateway turns not-ready first (so a load balancer stops sending
 * work), waits a moment for that to be seen, then closes: the web server finishes the requests it has
 * (graceful shutdown), the queue workers finish their current attempt, and the process exits 0.
 */
final class GracefulShutdown {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private GracefulShutdown() {}

    static void install(ConfigurableApplicationContext context) {
        Duration drain = context.getBean(ShutdownSettings.class).drain();
        Signal.handle(
                new Signal("TERM"),
                signal -> Thread.ofPlatform().name("graceful-shutdown").start(() -> {
                    log.info("SIGTERM: refusing new traffic, draining for {}", drain);
                    AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
                    try {
                        Thread.sleep(drain.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    int code = SpringApplication.exit(context, () -> 0);
                    System.exit(code);
                }));
    }
}
