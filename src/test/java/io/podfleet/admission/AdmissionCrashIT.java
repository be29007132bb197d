package io.podfleet.admission;

import io.podfleet.simulate.Simulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged servers on one PostgreSQL (the first one's embedded database), clients leasing through both; the
 * second is killed with -9 mid-load and its clients vanish with their leases. Those leases expire, the spare
 * connections it held are taken back, and the counters come back to exactly the open leases: zero.
 */
class AdmissionCrashIT {

    private static final Path JAR = Path.of("target/podfleet.jar");
    private static final String TOKEN = "pf_admission_crash_it_token_00000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void leasesOfAKilledInstanceExpireAndTheCountersReturnToExact() throws Exception {
        int pgPort = freePort();
        int portA = freePort();
        int portB = freePort();
        start("a", portA, dataA, "--podfleet.embedded-database.port=" + pgPort);
        awaitHealthy(portA);
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        Process b = start("b", portB, dataB, "--spring.datasource.url=" + jdbcUrl, "--spring.datasource.username=postgres");
        awaitHealthy(portB);

        try (Simulator hosts = new Simulator(new Simulator.Settings(URI.create("http://127.0.0.1:" + portA), TOKEN, 3, 4,
                Duration.ofMinutes(15), Duration.ofSeconds(30), 0, 1, new String[]{"sac1"}, "backblaze-pod-6.0", "crash", 5), line -> { })) {
            hosts.enroll();
            hosts.reportAll();
            hosts.heartbeatAll();
            HttpResponse<String> formed = call(portA, "POST", "/api/v1/vaults", "{\"id\":1700,\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                    + hosts.hostId(0) + "," + hosts.hostId(1) + "," + hosts.hostId(2) + "]}");
            assertThat(formed.statusCode()).as(formed.body()).isEqualTo(201);
        }

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger grantedByB = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            int port = c % 2 == 0 ? portA : portB;
            long hold = port == portB ? 1000 : 20; // B's clients hold their leases long, so some are open at the kill
            Thread t = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = call(port, "POST", "/api/v1/uploads", "{\"clientId\":\"crash\"}");
                        if (r.statusCode() != 201) {
                            continue;
                        }
                        if (port == portB) {
                            grantedByB.incrementAndGet();
                        }
                        String lease = r.body().replaceAll(".*\"leaseId\":\"([^\"]+)\".*", "$1");
                        Thread.sleep(hold);
                        if (call(port, "DELETE", "/api/v1/uploads/" + lease, "{\"outcome\":\"COMPLETED\"}").statusCode() == 200) {
                            completed.incrementAndGet();
                        }
                    } catch (Exception vanished) {
                        return; // its server is gone: the client vanishes, and so does any lease it held
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        // Kill B once its clients hold leases (each holds one for a second), not after a fixed time: a slow machine
        // must not let the leases expire before they are counted (TTL 8 s, counted within about a second of the kill).
        Instant loaded = Instant.now().plus(Duration.ofSeconds(60));
        while (grantedByB.get() < 12 && Instant.now().isBefore(loaded)) {
            Thread.sleep(100);
        }
        assertThat(grantedByB.get()).as("leases granted through B before the kill").isGreaterThanOrEqualTo(12);
        b.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        running.set(false);
        for (Thread t : clients) {
            t.join(30_000);
        }
        assertThat(completed.get()).isPositive();

        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            long openAfterKill = single(db, "SELECT count(*) FROM upload_lease WHERE ended_at IS NULL");
            assertThat(openAfterKill).as("leases held by the vanished clients of the killed instance").isPositive();
            assertThat(single(db, "SELECT COALESCE(sum(active), 0) FROM vault_admission")).isEqualTo(openAfterKill);
            assertThat(single(db, "SELECT COALESCE(sum(reserved), 0) FROM vault_admission")).as("spare connections held at the kill")
                    .isPositive().isEqualTo(single(db, "SELECT COALESCE(sum(slots), 0) FROM admission_block"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (single(db, "SELECT count(*) FROM upload_lease WHERE ended_at IS NULL") > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            assertThat(single(db, "SELECT count(*) FROM upload_lease WHERE ended_at IS NULL")).as("all expired").isZero();
            assertThat(single(db, "SELECT COALESCE(sum(active), 0) FROM vault_admission")).as("vault counter exact").isZero();
            assertThat(single(db, "SELECT COALESCE(sum(active), 0) FROM pod_admission")).as("pod counters exact").isZero();
            assertThat(single(db, "SELECT count(*) FROM upload_lease WHERE outcome = 'ABANDONED'")).isEqualTo(openAfterKill);
            // the killed instance's blocks are taken back 1.5 TTL after their last renewal (12 s here); the live
            // one gives its back after 5 s without asks
            while (single(db, "SELECT COALESCE(sum(slots), 0) FROM admission_block") > 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            assertThat(single(db, "SELECT COALESCE(sum(slots), 0) FROM admission_block")).as("every block given or taken back").isZero();
            assertThat(single(db, "SELECT COALESCE(sum(reserved), 0) FROM vault_admission")).as("reserved counter exact").isZero();
            // a release B committed just before the kill may never have reached its client: at most one per B client
            assertThat(single(db, "SELECT count(*) FROM upload_lease WHERE outcome = 'COMPLETED'"))
                    .isBetween((long) completed.get(), (long) completed.get() + 6);
        }
    }

    private Process start(String name, int port, Path data, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "server", "--server.port=" + port, "--podfleet.data-dir=" + data,
                "--podfleet.admission.lease-ttl=8s", "--podfleet.admission.expiry-check-interval=1s",
                "--podfleet.admission.candidate-cache-ttl=0s"));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "admission-crash-it-" + name + ".log").toFile());
        pb.environment().put("PODFLEET_BOOTSTRAP_TOKEN", TOKEN);
        pb.environment().remove("DATABASE_URL");
        Process p = pb.start();
        started.add(0, p); // stop B before A, whose PostgreSQL B uses
        return p;
    }

    private static long single(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void awaitHealthy(int port) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server on port " + port + " not healthy in time");
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
