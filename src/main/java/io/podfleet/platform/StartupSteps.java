package io.podfleet.platform;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ApplicationListener;
import org.springframework.core.metrics.StartupStep;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where start-up time goes, for whoever works on it: with {@code -Dpodfleet.startup-steps=N} the server records
 * Spring's start-up steps and logs the N with the most time of their own (a step's time minus its sub-steps').
 */
public final class StartupSteps {

    private static final Logger log = LoggerFactory.getLogger(StartupSteps.class);

    private StartupSteps() {
    }

    public static void recordIfAsked(SpringApplication app) {
        int top = Integer.getInteger("podfleet.startup-steps", 0);
        if (top <= 0) {
            return;
        }
        BufferingApplicationStartup steps = new BufferingApplicationStartup(50_000);
        app.setApplicationStartup(steps);
        app.addListeners((ApplicationListener<ApplicationReadyEvent>) ready -> report(steps.getBufferedTimeline(), top));
    }

    private static void report(StartupTimeline timeline, int top) {
        List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
        Map<Long, Long> childNanos = new HashMap<>();
        for (StartupTimeline.TimelineEvent e : events) {
            Long parent = e.getStartupStep().getParentId();
            if (parent != null) {
                childNanos.merge(parent, e.getDuration().toNanos(), Long::sum);
            }
        }
        events.stream()
                .sorted((a, b) -> Long.compare(self(b, childNanos), self(a, childNanos)))
                .limit(top)
                .forEach(e -> log.info("start-up step {} ms own ({} ms in all): {} {}", self(e, childNanos) / 1_000_000,
                        e.getDuration().toMillis(), e.getStartupStep().getName(), tags(e.getStartupStep())));
        log.info("start-up steps recorded: {}, total of top-level steps {} ms", events.size(), events.stream()
                .filter(e -> e.getStartupStep().getParentId() == null).map(StartupTimeline.TimelineEvent::getDuration)
                .reduce(Duration.ZERO, Duration::plus).toMillis());
    }

    private static long self(StartupTimeline.TimelineEvent e, Map<Long, Long> childNanos) {
        return e.getDuration().toNanos() - childNanos.getOrDefault(e.getStartupStep().getId(), 0L);
    }

    private static String tags(StartupStep step) {
        StringBuilder s = new StringBuilder();
        step.getTags().forEach(t -> s.append(t.getKey()).append('=').append(t.getValue()).append(' '));
        return s.toString().trim();
    }
}
