package io.podfleet.admission;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The limit schedule and the upload URL, on an injected clock. */
class ConnectionLimitTest {

    private static final AdmissionSettings SETTINGS = new AdmissionSettings(5000, 2500, Duration.ofMinutes(10),
            Duration.ofSeconds(30), "https://pod-{cluster:03d}-{vault}-{pod:02d}.{domain}/upload/c{cluster:03d}_v{vault:07d}_t{tome:04d}",
            "backup.example.com", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ZERO, 32, Duration.ofSeconds(5));
    private static final Instant FORMED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant BURN_IN_ENDS = FORMED.plus(Duration.ofDays(7));

    @Test
    void eightDaysAfterFormingAVaultHasTheNormalLimit() {
        Clock clock = Clock.fixed(FORMED.plus(Duration.ofDays(8)), ZoneOffset.UTC);
        ConnectionLimit limit = ConnectionLimit.of(null, BURN_IN_ENDS, clock.instant(), SETTINGS);
        assertThat(limit.limit()).isEqualTo(5000);
        assertThat(limit.source()).isEqualTo(ConnectionLimit.Source.NORMAL);
    }

    @Test
    void twoDaysAfterFormingAVaultHasTheBurnInLimit() {
        Clock clock = Clock.fixed(FORMED.plus(Duration.ofDays(2)), ZoneOffset.UTC);
        ConnectionLimit limit = ConnectionLimit.of(null, BURN_IN_ENDS, clock.instant(), SETTINGS);
        assertThat(limit.limit()).isEqualTo(2500);
        assertThat(limit.source()).isEqualTo(ConnectionLimit.Source.BURN_IN);
        assertThat(ConnectionLimit.of(null, BURN_IN_ENDS, BURN_IN_ENDS, SETTINGS).limit()).as("the period's end is normal").isEqualTo(5000);
    }

    @Test
    void anOverrideWinsInBurnInAndAfter() {
        assertThat(ConnectionLimit.of(100, BURN_IN_ENDS, FORMED.plus(Duration.ofDays(2)), SETTINGS).limit()).isEqualTo(100);
        assertThat(ConnectionLimit.of(7000, BURN_IN_ENDS, FORMED.plus(Duration.ofDays(8)), SETTINGS).source())
                .isEqualTo(ConnectionLimit.Source.OVERRIDE);
        assertThat(ConnectionLimit.of(0, null, FORMED, SETTINGS).limit()).as("0 closes the vault to uploads").isZero();
    }

    @Test
    void theUploadUrlNamesClusterVaultPodAndTomeAsInTheField() {
        String url = new UploadUrl(SETTINGS.urlTemplate()).fill(java.util.Map.of("cluster", 1, "vault", 1013, "pod", 2, "tome", 20,
                "host", "h", "domain", "backup.example.com"));
        assertThat(url).isEqualTo("https://pod-001-1013-02.backup.example.com/upload/c001_v0001013_t0020");
    }
}
