package io.podfleet.fleet;

import io.podfleet.security.ApiTokens;
import io.podfleet.security.Role;
import io.podfleet.simulate.Simulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Duration;

/**
 * The simulated fleet of the demo run ({@code mvn spring-boot:run} sets {@code podfleet.demo.hosts=40}): simulated
 * agents enroll and report to this server over real HTTP, at 60 times real speed with an annualized failure rate
 * of 100 % (about one failing drive a minute in 2,400), so a newcomer sees drives fail and get replaced within minutes. Only on the embedded database, unless
 * {@code podfleet.demo.force=true}: a server on a real PostgreSQL simulates nothing unless asked.
 */
@Component
public class DemoFleet {

    private static final Logger log = LoggerFactory.getLogger(DemoFleet.class);

    private final int hosts;
    private final boolean force;
    private final ApiTokens tokens;
    private final Environment environment;
    private final org.springframework.context.ApplicationEventPublisher events;
    private Simulator simulator;

    /** Published once the demo's simulated hosts are enrolled, so other capabilities can build on them (vaults). */
    public record Started(int hosts) {
    }

    DemoFleet(@Value("${podfleet.demo.hosts:0}") int hosts, @Value("${podfleet.demo.force:false}") boolean force,
              ApiTokens tokens, Environment environment, org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.hosts = hosts;
        this.force = force;
        this.tokens = tokens;
        this.environment = environment;
    }

    @EventListener
    void start(ApplicationReadyEvent ready) {
        String url = environment.getProperty("spring.datasource.url");
        if (hosts <= 0 || (url != null && !url.isBlank() && !force)) {
            return;
        }
        if (!(ready.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        int port = web.getWebServer().getPort();
        ApiTokens.Issued token = tokens.issue("demo-simulator-" + System.currentTimeMillis(), Role.OPERATOR, "demo");
        Simulator.Settings settings = new Simulator.Settings(URI.create("http://127.0.0.1:" + port), token.secret(), hosts, 60,
                Duration.ofMinutes(15), Duration.ofSeconds(30), 100.0, 60.0, new String[]{"sac1", "phx1"},
                "backblaze-pod-6.0", "demo", 42);
        simulator = new Simulator(settings, log::info);
        Thread starter = new Thread(() -> {
            try {
                simulator.start();
                events.publishEvent(new Started(simulator.hostCount()));
            } catch (Exception e) {
                log.warn("The demo fleet did not start: {}", e.toString());
            }
        }, "demo-fleet");
        starter.setDaemon(true);
        starter.start();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
