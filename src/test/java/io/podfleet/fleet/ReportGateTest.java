package io.podfleet.fleet;

import io.micrometer.core.instrument.MeterRegistry;
import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reports beyond report-concurrency wait their turn; one that waits past report-queue-wait is answered 503 with
 * Retry-After, nothing of it stored, and goes through when sent again. Over real sockets: the report holding the
 * only turn is one whose body has not all arrived yet.
 */
@TestPropertySource(properties = {"podfleet.fleet.report-concurrency=1", "podfleet.fleet.report-queue-wait=300ms"})
class ReportGateTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MeterRegistry meters;

    @Test
    void aReportThatWaitsTooLongIsToldToComeBackAndLosesNothing() throws Exception {
        var hosts = simulatedHosts(token("OPERATOR"), "gate", 1, 1);
        String hostId = Long.toString(hosts.hostId(0));
        String credential = hosts.credential(0);
        String firstId = UUID.randomUUID().toString();
        byte[] first = report(hostId, firstId).getBytes(StandardCharsets.UTF_8);

        try (Socket slow = new Socket("localhost", port)) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + ReportGate.PATH + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + credential
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + first.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(first, 0, 20); // the rest later: this report holds the only turn while its body is read
            out.flush();
            await().atMost(10, TimeUnit.SECONDS).until(() -> gauge("podfleet.reports.in.progress") == 1);

            String secondId = UUID.randomUUID().toString();
            long before = System.nanoTime();
            var second = send("POST", ReportGate.PATH, credential, report(hostId, secondId));
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(System.nanoTime() - before).as("it waited its turn first").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(Integer.parseInt(second.headers().firstValue("Retry-After").orElseThrow())).isBetween(5, 15);
            assertThat(JSON.readTree(second.body()).path("detail").asString()).contains("Retry-After");
            assertThat(meters.get("podfleet.reports.turned.away").counter().count()).isEqualTo(1.0);
            assertThat(receipts(secondId)).as("nothing of it stored").isZero();

            // the gate comes after authentication: a request without a credential does not wait for a turn
            var anonymous = send("POST", ReportGate.PATH, null, report(hostId, UUID.randomUUID().toString()));
            assertThat(anonymous.statusCode()).isEqualTo(401);

            out.write(first, 20, first.length - 20);
            out.flush();
            String answer = new String(readAll(slow.getInputStream()), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains(firstId);
            assertThat(receipts(firstId)).isEqualTo(1);

            var again = send("POST", ReportGate.PATH, credential, report(hostId, secondId));
            assertThat(again.statusCode()).as("sent again from the agent's spool").isEqualTo(200);
            assertThat(receipts(secondId)).isEqualTo(1);
        }
        assertThat(gauge("podfleet.reports.in.progress")).isZero();
        assertThat(gauge("podfleet.reports.waiting")).isZero();
        // as an SRE's Prometheus sees them (docs/operations.md)
        String scraped = get("/actuator/prometheus", token("VIEWER")).body();
        assertThat(scraped).contains("podfleet_reports_turned_away_total 1.0", "podfleet_reports_in_progress 0.0",
                "podfleet_reports_waiting 0.0");
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private long receipts(String reportId) {
        return jdbc.sql("SELECT count(*) FROM report_receipt WHERE report_id = ?::uuid").param(reportId).query(Long.class).single();
    }

    private static byte[] readAll(InputStream in) throws java.io.IOException {
        return in.readAllBytes(); // Connection: close, so the stream ends with the answer
    }

    private static String report(String hostId, String reportId) {
        return """
                {"reportId":"%s","hostId":"%s","takenAt":"%s","agentVersion":"test",
                 "drives":[{"slot":0,"slotSource":"by-path","reading":{"serial":"GATE-1","model":"X","driveInterface":"ATA",
                   "smartPassed":true,"exitStatus":{"value":0}}}]}
                """.formatted(reportId, hostId, java.time.Instant.now());
    }
}
