package io.podfleet.admission;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseIdsTest {

    @Test
    void versionSevenIdsSortByTheMillisecondTheyWereMadeIn() {
        Instant t = Instant.parse("2026-12-01T08:00:00.123Z");
        UUID earlier = new LeaseIds(Clock.fixed(t, ZoneOffset.UTC)).next();
        UUID later = new LeaseIds(Clock.fixed(t.plusMillis(1), ZoneOffset.UTC)).next();

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(t.toEpochMilli());
        // PostgreSQL orders uuid by its bytes, unsigned: the text form compares the same way
        assertThat(earlier.toString()).isLessThan(later.toString());
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        LeaseIds ids = new LeaseIds(Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC));
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            seen.add(ids.next());
        }
        assertThat(seen).hasSize(100_000);
    }
}
