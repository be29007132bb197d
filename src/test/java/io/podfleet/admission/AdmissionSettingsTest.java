package io.podfleet.admission;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A group linger outside 0-50 ms stops the start with the property named (it delays every grant by up to that). */
class AdmissionSettingsTest {

    private static AdmissionSettings withLinger(Duration linger) {
        return new AdmissionSettings(5000, 2500, Duration.ofMinutes(10), Duration.ofSeconds(30),
                "https://pod-{cluster:03d}-{vault}-{pod:02d}.{domain}/upload/c{cluster:03d}_v{vault:07d}_t{tome:04d}",
                "backup.example.com", Duration.ofSeconds(30), Duration.ofSeconds(1), linger, 32, Duration.ofSeconds(5));
    }

    @Test
    void groupLingerIsBetweenZeroAndFiftyMilliseconds() {
        assertThat(withLinger(Duration.ZERO).groupLinger()).isZero();
        assertThat(withLinger(Duration.ofMillis(50)).groupLinger()).isEqualTo(Duration.ofMillis(50));
        for (Duration bad : new Duration[] {Duration.ofNanos(-1), Duration.ofMillis(51)}) {
            assertThatThrownBy(() -> withLinger(bad)).hasMessageContaining("podfleet.admission.group-linger");
        }
    }
}
