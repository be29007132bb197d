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

    @Test
    void pointsWithoutACounterAreSkippedAndAFallBreaksARise() {
        TrendRules.Point none = new TrendRules.Point(null, null, null, null);
        // 1, 2, 3 rise in two steps across the gaps; the fall to 2 starts over, so 2 -> 3 is one more step: WARNING
        List<Reason> reasons = trends.judgePoints(List.of(new TrendRules.Point(1L, null, null, null), none,
                new TrendRules.Point(2L, null, null, null), none, new TrendRules.Point(3L, null, null, null),
                new TrendRules.Point(2L, null, null, null), new TrendRules.Point(3L, null, null, null)));
        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.severity()).isEqualTo(Health.WARNING);
            assertThat(r.value()).isEqualTo("1 -> 3 over 5 readings");
        });
        // the same without the fall: three successive rises over the readings that have the counter
        assertThat(trends.judgePoints(List.of(new TrendRules.Point(null, 1L, null, null), none,
                new TrendRules.Point(null, 2L, null, null), new TrendRules.Point(null, 3L, null, null), none,
                new TrendRules.Point(null, 4L, null, null))))
                .singleElement().extracting(Reason::severity).isEqualTo(Health.FAILING);
    }
}
