package io.podfleet.fleet;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A drive's stored full reading is rewritten when it appears and when its verdict changes, not on every report. */
class LatestReadingTest extends ServerTest {

    @Test
    void theFullReadingFollowsVerdictChangesWhileEverySampleIsKept() throws Exception {
        Enrolled enrolled = enroll("pod-latest-1");
        String credential = enrolled.credential();
        String hostId = enrolled.hostId();

        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // PostgreSQL keeps microseconds
        Instant first = now.minusSeconds(120);
        Instant second = now.minusSeconds(60);
        Instant third = now;
        assertThat(send("POST", "/api/v1/agent/reports", credential, report(hostId, first, true, 100)).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/v1/agent/reports", credential, report(hostId, second, true, 101)).statusCode()).isEqualTo(200);
        assertThat(latest()).as("same verdict: the stored reading stays").isEqualTo(first);
        assertThat(send("POST", "/api/v1/agent/reports", credential, report(hostId, third, false, 102)).statusCode()).isEqualTo(200);
        assertThat(latest()).as("the verdict changed to FAILED: rewritten").isEqualTo(third);
        assertThat(jdbc.sql("SELECT count(*) FROM smart_sample s JOIN drive d ON d.id = s.drive_id WHERE d.serial = 'LATEST-1'")
                .query(Long.class).single()).as("every report keeps its sample").isEqualTo(3);
    }

    private Instant latest() {
        return jdbc.sql("SELECT l.taken_at FROM drive_reading_latest l JOIN drive d ON d.id = l.drive_id WHERE d.serial = 'LATEST-1'")
                .query(java.sql.Timestamp.class).single().toInstant();
    }

    private static String report(String hostId, Instant at, boolean passed, long hours) {
        return """
                {"reportId":"%s","hostId":"%s","takenAt":"%s","drives":[{"slot":0,"slotSource":"enclosure",
                 "reading":{"serial":"LATEST-1","model":"ST16000NM001G-2KK103","driveInterface":"ATA","smartPassed":%s,
                 "powerOnHours":%d,"exitStatus":{"value":0}}}]}
                """.formatted(UUID.randomUUID(), hostId, at, passed, hours);
    }
}
