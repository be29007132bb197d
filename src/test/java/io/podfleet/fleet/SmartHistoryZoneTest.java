package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;
import io.podfleet.smart.Health;
import io.podfleet.smart.SmartctlParser;
import io.podfleet.smart.Verdict;
import io.podfleet.support.ServerTest;
import io.podfleet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

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
}
