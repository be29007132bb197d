package io.podfleet.fleet;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fleet settings as an operator writes them: defaults, and values refused at start with the setting named. */
class FleetSettingsTest {

    private static FleetSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("podfleet.fleet", FleetSettings.class);
    }

    @Test
    void reportsTakeTurnsOneMoreThanTheCoresUnlessSet() {
        assertThat(bind(Map.of()).reportConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors() + 1);
        assertThat(bind(Map.of()).reportQueueWait()).hasSeconds(10);
        assertThat(bind(Map.of("podfleet.fleet.report-concurrency", "7")).reportConcurrency()).isEqualTo(7);
    }

    @Test
    void aNegativeConcurrencyOrStaleAfterDeadIsRefusedByName() {
        assertThatThrownBy(() -> bind(Map.of("podfleet.fleet.report-concurrency", "-1")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("podfleet.fleet.report-concurrency");
        assertThatThrownBy(() -> bind(Map.of("podfleet.fleet.stale-after", "20m")))
                .isInstanceOf(BindException.class).rootCause().hasMessageContaining("podfleet.fleet.stale-after");
    }
}
