package io.podfleet.fleet;

import io.podfleet.platform.jobs.ScheduledTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the SMART history's monthly partitions: creates this month's and next month's ahead of the data, and drops
 * every month that ended before the retention horizon (dropping a partition is instant; deleting rows is not).
 * Idempotent: it works from the partitions that exist, not from when it last ran.
 */
@Component
class SmartRetention implements ScheduledTask {

    private static final Logger log = LoggerFactory.getLogger(SmartRetention.class);
    private static final Pattern MONTH = Pattern.compile("smart_sample_(\\d{4})_(\\d{2})");

    private final JdbcClient jdbc;
    private final SmartHistory history;
    private final FleetSettings settings;
    private final Clock clock;

    SmartRetention(JdbcClient jdbc, SmartHistory history, FleetSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.history = history;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "smart-retention";
    }

    @Override
    public Duration interval() {
        return settings.retentionCheckInterval();
    }

    @Override
    @Transactional
    public void run(Instant firedAt) {
        Instant now = clock.instant();
        YearMonth current = history.monthOf(now); // as ingestion files samples
        history.ensurePartition(current);
        history.ensurePartition(current.plusMonths(1));
        LocalDate horizon = now.minus(settings.smartRetention()).atZone(ZoneOffset.UTC).toLocalDate();
        for (String partition : partitions()) {
            Matcher m = MONTH.matcher(partition);
            if (!m.matches()) {
                continue;
            }
            YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            if (!month.plusMonths(1).atDay(1).isAfter(horizon)) {
                jdbc.sql("DROP TABLE IF EXISTS " + partition).update();
                history.forget(month);
                log.info("Dropped SMART samples of {} (retention {})", month, settings.smartRetention());
            }
        }
    }

    List<String> partitions() {
        return jdbc.sql("""
                        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        WHERE i.inhparent = 'smart_sample'::regclass ORDER BY c.relname""")
                .query(String.class).list();
    }
}
