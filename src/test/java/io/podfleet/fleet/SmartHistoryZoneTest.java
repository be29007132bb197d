package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;
import io.podfleet.smart.Health;
import io.podfleet.smart.SmartctlParser;
import io.podfleet.smart.Verdict;
import io.podfleet.support.ServerTest;
import io.podfleet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A month's partition of {@code smart_sample} runs from midnight to midnight in the database session's time zone
 * (the JDBC driver sets it to the server JVM's), so a server west of UTC files the first hours of a UTC month under
 * the month before: that month's partition must exist for the report to be stored.
 */
class SmartHistoryZoneTest extends ServerTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void aSampleInTheFirstHoursOfAUtcMonthIsStoredOnAServerWestOfUtc() throws Exception {
        // one connection whose session is in New York's zone, as a server JVM there gets from the driver
        SingleConnectionDataSource newYork = new SingleConnectionDataSource(TestDatabase.jdbcUrl(), "postgres", "", true);
        try {
            newYork.getConnection().createStatement().execute("SET TIME ZONE 'America/New_York'");
            SmartHistory history = new SmartHistory(JdbcClient.create(newYork), new JdbcTemplate(newYork));
            DriveReading reading = (DriveReading) new SmartctlParser().parse(Files.readAllBytes(
                    Path.of("src/test/resources/smart-samples", "prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json")));
            Instant takenAt = Instant.parse("2031-03-01T02:00:00Z"); // 21:00 on 28 February in New York

            history.append(List.of(new SmartHistory.Sample(424242L, takenAt, new Verdict(Health.HEALTHY, List.of()), reading)));

            assertThat(jdbc.sql("SELECT tableoid::regclass::text FROM smart_sample WHERE drive_id = 424242")
                    .query(String.class).list()).containsExactly("smart_sample_2031_02");
        } finally {
            jdbc.sql("DROP TABLE IF EXISTS smart_sample_2031_02").update();
            jdbc.sql("DROP TABLE IF EXISTS smart_sample_2031_03").update();
            newYork.destroy();
        }
    }

    /** Samples go by COPY, other times as JDBC parameters: a sample's time must equal its report's time stored elsewhere. */
    @Test
    void aSamplesTimeIsStoredAsTheDriverStoresTheSameTime() throws Exception {
        SmartHistory history = new SmartHistory(jdbc, new JdbcTemplate(dataSource));
        DriveReading reading = (DriveReading) new SmartctlParser().parse(Files.readAllBytes(
                Path.of("src/test/resources/smart-samples", "prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json")));
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Instant> times = List.of(now.plusNanos(123_456_500), now.plusNanos(123_456_499), now.plusNanos(999_999_700), now.plusNanos(7));
        try {
            for (int i = 0; i < times.size(); i++) {
                history.append(List.of(new SmartHistory.Sample(525250L + i, times.get(i), new Verdict(Health.HEALTHY, List.of()), reading)));
                assertThat(jdbc.sql("SELECT taken_at = ? FROM smart_sample WHERE drive_id = ?")
                        .params(java.sql.Timestamp.from(times.get(i)), 525250L + i).query(Boolean.class).single())
                        .as("sample at " + times.get(i)).isTrue();
            }
        } finally {
            jdbc.sql("DELETE FROM smart_sample WHERE drive_id BETWEEN 525250 AND 525260").update();
        }
    }
}
