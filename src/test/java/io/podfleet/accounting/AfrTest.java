package io.podfleet.accounting;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The formula against the figures Drive Stats published (DOMAIN.md). */
class AfrTest {

    @Test
    void reproducesPublishedQuarterlyFigures() {
        assertThat(Afr.percent(7, 1_171_895)).isCloseTo(0.22, within(0.005));
        assertThat(Afr.percent(69, 1_753_271)).isCloseTo(1.44, within(0.005));
    }

    @Test
    void oneFailurePerDriveYearIsOneHundredPercent() {
        assertThat(Afr.percent(10, 3650)).isEqualTo(100.0);
        assertThat(Afr.percent(0, 0)).isZero();
    }
}
