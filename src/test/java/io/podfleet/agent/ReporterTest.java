package io.podfleet.agent;

import io.podfleet.protocol.v1.EnrollRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The reporter against a real HTTP stand-in answering as a healthy, busy, broken or strict server would. */
class ReporterTest {

    @TempDir
    Path dir;
    private StandinServer server;
    private Spool spool;
    private Reporter reporter;

    @BeforeEach
    void start() throws Exception {
        server = new StandinServer();
        spool = new Spool(dir.resolve("spool"), 1 << 20);
        reporter = new Reporter(new ServerClient(server.uri(), null, Duration.ofMillis(800)), spool,
                dir.resolve("credential.json"), "enroll-me", new EnrollRequest(null, "pod-1", "SN1", "backblaze-pod-6.0", "test"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void enrollsOnceAndKeepsTheCredentialPrivate() throws Exception {
        assertThat(reporter.ensureEnrolled()).isEmpty();
        assertThat(reporter.ensureEnrolled()).isEmpty();
        assertThat(server.enrollments).isEqualTo(1);
        Path file = dir.resolve("credential.json");
        assertThat(Files.readString(file)).contains("cred-1").contains("host-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void committedReportsLeaveTheSpoolOldestFirst() throws Exception {
        UUID first = put();
        UUID second = put();
        assertThat(reporter.drain()).isEqualTo(new Reporter.Result.Drained(2, 0));
        assertThat(server.newReports).containsExactly(first.toString(), second.toString());
        assertThat(spool.pending()).isEmpty();
        assertThat(server.authorizations).contains(Reporter.REPORTS + " Bearer cred-1");
    }

    @Test
    void aReportTheServerRefusesIsSetAsideAndTheRestGoOn() throws Exception {
        put();
        UUID ok = put();
        reporter.ensureEnrolled();
        server.then(StandinServer.Answer.of(413, "{\"detail\":\"body too large\"}"));
        assertThat(reporter.drain()).isEqualTo(new Reporter.Result.Drained(1, 1));
        assertThat(server.newReports).containsExactly(ok.toString());
        assertThat(spool.rejectedFiles()).hasSize(1);
        assertThat(Files.readString(Path.of(spool.rejectedFiles().get(0) + ".answer.txt"))).startsWith("HTTP 413");
    }

    @Test
    void tooManyRequestsHonoursRetryAfterAndKeepsTheReport() throws Exception {
        UUID id = put();
        reporter.ensureEnrolled();
        server.then(new StandinServer.Answer(429, "{}", Map.of("Retry-After", "7"), 0));
        Reporter.Result r = reporter.drain();
        assertThat(r).isInstanceOf(Reporter.Result.Paused.class);
        assertThat(((Reporter.Result.Paused) r).delay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(spool.pending()).extracting(Spool.Entry::reportId).containsExactly(id);
        assertThat(reporter.drain()).isEqualTo(new Reporter.Result.Drained(1, 0));
    }

    @Test
    void serverErrorsAndTimeoutsBackOffAndKeepTheReport() throws Exception {
        UUID id = put();
        reporter.ensureEnrolled();
        server.then(StandinServer.Answer.of(500, "{}"), new StandinServer.Answer(200, "{}", Map.of(), 2000));
        Reporter.Result error = reporter.drain();
        Reporter.Result timeout = reporter.drain();
        assertThat(error).isInstanceOf(Reporter.Result.Paused.class);
        assertThat(((Reporter.Result.Paused) error).why()).contains("HTTP 500");
        assertThat(timeout).isInstanceOf(Reporter.Result.Paused.class);
        assertThat(((Reporter.Result.Paused) timeout).why()).contains("Timeout");
        Duration firstDelay = ((Reporter.Result.Paused) error).delay();
        Duration secondDelay = ((Reporter.Result.Paused) timeout).delay();
        assertThat(secondDelay.toMillis()).as("backoff grows").isGreaterThanOrEqualTo(firstDelay.toMillis() / 2 + 1);
        assertThat(spool.pending()).extracting(Spool.Entry::reportId).containsExactly(id);
    }

    @Test
    void aRevokedCredentialLeadsToANewEnrollment() throws Exception {
        put();
        reporter.ensureEnrolled();
        server.credential = "cred-2";
        server.then(StandinServer.Answer.of(401, "{\"detail\":\"credential revoked\"}"));
        Reporter.Result first = reporter.drain();
        assertThat(((Reporter.Result.Paused) first).why()).isEqualTo("credential revoked");
        assertThat(reporter.drain()).isEqualTo(new Reporter.Result.Drained(1, 0));
        assertThat(server.enrollments).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("credential.json"))).contains("cred-2");
    }

    @Test
    void anUnknownCredentialIsNotReplacedBehindTheOperatorsBack() throws Exception {
        put();
        reporter.ensureEnrolled();
        server.credential = "someone-else";
        Reporter.Result r = reporter.drain();
        assertThat(((Reporter.Result.Paused) r).why()).contains("HTTP 401");
        assertThat(server.enrollments).isEqualTo(1);
        assertThat(spool.pending()).hasSize(1);
    }

    private UUID put() throws Exception {
        UUID id = UUID.randomUUID();
        spool.put(id, ("{\"reportId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        return id;
    }
}
