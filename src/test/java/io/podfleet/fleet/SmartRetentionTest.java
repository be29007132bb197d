package io.podfleet.fleet;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMART history's monthly partitions on PostgreSQL: created ahead, dropped past retention. */
class SmartRetentionTest extends ServerTest {

    @Autowired
    SmartHistory history;
    @Autowired
    SmartRetention retention;

    @Test
    void createsTheComingMonthAndDropsMonthsPastRetention() {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        YearMonth old = now.minusMonths(15);
        history.ensurePartition(old);
        jdbc.sql("INSERT INTO smart_sample (drive_id, taken_at, verdict) VALUES (1, ?, 'HEALTHY')")
                .param(java.sql.Timestamp.from(old.atDay(3).atStartOfDay().toInstant(ZoneOffset.UTC))).update();

        retention.run(Instant.now());

        assertThat(retention.partitions())
                .contains(name(now), name(now.plusMonths(1)))
                .doesNotContain(name(old));
        assertThat(jdbc.sql("SELECT count(*) FROM smart_sample WHERE taken_at < ?")
                .param(java.sql.Timestamp.from(now.minusMonths(14).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)))
                .query(Long.class).single()).isZero();
    }

    private static String name(YearMonth m) {
        return String.format("smart_sample_%04d_%02d", m.getYear(), m.getMonthValue());
    }
}
