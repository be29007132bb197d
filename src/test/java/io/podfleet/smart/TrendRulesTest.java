package io.podfleet.smart;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.podfleet.smart.HealthRulesTest.withRaw;
import static org.assertj.core.api.Assertions.assertThat;

class TrendRulesTest {

    private final TrendRules trends = new TrendRules();
    private final DriveReading base = Samples.reading(Samples.ST18000);

    @Test
    void steadyCountsAddNothing() {
        assertThat(trends.judge(List.of(withRaw(base, 5, 4), withRaw(base, 5, 4), withRaw(base, 5, 4)))).isEmpty();
    }

    @Test
    void aSmallRiseIsAWarning() {
        List<Reason> reasons = trends.judge(List.of(withRaw(base, 5, 4), withRaw(base, 5, 4), withRaw(base, 5, 6)));
        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.severity()).isEqualTo(Health.WARNING);
            assertThat(r.value()).isEqualTo("4 -> 6 over 3 readings");
        });
    }

    @Test
    void aLargeRiseOrARiseInThreeSuccessiveReadingsIsFailing() {
        assertThat(trends.judge(List.of(withRaw(base, 197, 0), withRaw(base, 197, 12))))
                .singleElement().extracting(Reason::severity).isEqualTo(Health.FAILING);
        assertThat(trends.judge(List.of(withRaw(base, 5, 1), withRaw(base, 5, 2), withRaw(base, 5, 3), withRaw(base, 5, 4))))
                .singleElement().extracting(Reason::severity).isEqualTo(Health.FAILING);
    }

    @Test
    void escalationKeepsTheLatestReasons() {
        DriveReading latest = withRaw(base, 5, 6);
        Verdict now = new HealthRules().judge(latest, TemperatureLimits.DEFAULT);
        Verdict escalated = trends.escalate(now, List.of(withRaw(base, 5, 1), withRaw(base, 5, 3), withRaw(base, 5, 4), latest));
        assertThat(now.health()).isEqualTo(Health.WARNING);
        assertThat(escalated.health()).isEqualTo(Health.FAILING);
        assertThat(escalated.reasons()).containsAll(now.reasons());
    }
}
