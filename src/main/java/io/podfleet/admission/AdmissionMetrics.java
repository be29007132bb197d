package io.podfleet.admission;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Active leases, reserved spare connections and the limit of every vault as gauges ({@code podfleet.admission.active},
 * {@code podfleet.admission.reserved}, {@code podfleet.admission.limit}, tag {@code vault}), read from the database every 10 seconds, so every instance
 * shows the fleet-wide figures. Admits, rejections by reason, abandoned leases and lease durations are counted
 * where they happen.
 */
@Component
class AdmissionMetrics {

    private static final Logger log = LoggerFactory.getLogger(AdmissionMetrics.class);

    private final Admission admission;
    private final MultiGauge active;
    private final MultiGauge limit;
    private final MultiGauge reserved;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "admission-metrics");
        t.setDaemon(true);
        return t;
    });

    AdmissionMetrics(Admission admission, MeterRegistry registry) {
        this.admission = admission;
        this.active = MultiGauge.builder("podfleet.admission.active").description("open upload leases").register(registry);
        this.reserved = MultiGauge.builder("podfleet.admission.reserved")
                .description("spare connections instances hold reserved ahead of the asks").register(registry);
        this.limit = MultiGauge.builder("podfleet.admission.limit").description("concurrent upload connection limit").register(registry);
    }

    @EventListener
    void start(ApplicationReadyEvent ready) {
        timer.scheduleWithFixedDelay(this::refresh, 0, 10, TimeUnit.SECONDS);
    }

    void refresh() {
        try {
            List<Admission.VaultLoad> loads = admission.loads();
            active.register(loads.stream().map(l -> MultiGauge.Row.of(Tags.of("vault", Integer.toString(l.vaultId())), l.active())).toList(), true);
            reserved.register(loads.stream().map(l -> MultiGauge.Row.of(Tags.of("vault", Integer.toString(l.vaultId())), l.reserved())).toList(), true);
            limit.register(loads.stream().map(l -> MultiGauge.Row.of(Tags.of("vault", Integer.toString(l.vaultId()),
                    "source", l.limit().source().name()), l.limit().limit())).toList(), true);
        } catch (RuntimeException e) {
            log.debug("admission gauges not refreshed: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
