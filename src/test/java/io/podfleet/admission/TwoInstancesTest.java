package io.podfleet.admission;

import io.podfleet.PodfleetServer;
import io.podfleet.simulate.Simulator;
import io.podfleet.support.ServerTest;
import io.podfleet.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server instances on one PostgreSQL, concurrent clients acquiring and releasing: 24 against a vault limited to
 * 3 connections (too few for blocks: the database decides each grant), then 64 against one limited to 16 (each
 * instance holds up to 4 spare connections and grants most leases from them, their rows written behind). Each client logs
 * when it received a grant and when it sent the release: that interval lies inside the time the connection was
 * counted in the database (as reserved, then open), so more overlapping logged intervals than the limit would prove
 * a violation. The database is sampled during the run too, and every lease is accounted for at the end.
 */
class TwoInstancesTest extends ServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int SMALL_LIMIT = 3;
    private static final int BLOCK_LIMIT = 16;

    @Autowired
    private Admission first;
    @Autowired
    private MeterRegistry firstMeters;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Held(String lease, long grantedNanos, long releasingNanos, int instance) {
    }

    @Test
    void noVaultExceedsItsLimitAcrossInstancesAndEveryLeaseIsAccountedFor() throws Exception {
        String operator = token("OPERATOR");
        String dispatcher = token("DISPATCHER");
        Simulator hosts = simulatedHosts(operator, "ti", 6, 4);
        assertThat(send("POST", "/api/v1/vaults", operator, "{\"id\":1500,\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                + hosts.hostId(0) + "," + hosts.hostId(1) + "," + hosts.hostId(2) + "]}").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/vaults/1500/connection-limit", operator, "{\"limit\":" + SMALL_LIMIT + "}").statusCode()).isEqualTo(200);

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(PodfleetServer.class)
                .properties("server.port=0", "spring.datasource.url=" + TestDatabase.jdbcUrl(), "spring.datasource.username=postgres",
                        "podfleet.data-dir=" + io.podfleet.support.TempFolders.create("podfleet-second"), "logging.level.root=warn")
                // a scheduler name of its own, not started: Spring registers a scheduler's data source in Quartz's
                // JVM-wide DBConnectionManager under the scheduler's name, so sharing one with another server of this
                // JVM would leave that server's jobs on this instance's pool once it closes (see ServerTest). Its jobs
                // are not what this test is about: the test server runs them. As arguments: application.yml names the
                // scheduler, and it outranks the builder's default properties above (which left the name 'podfleet')
                .run("--spring.quartz.properties.org.quartz.scheduler.instanceName=two-instances-second",
                        "--spring.quartz.auto-startup=false")) {
            int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
            URI[] instances = {url(""), URI.create("http://localhost:" + secondPort)};
            Admission[] admissions = {first, second.getBean(Admission.class)};
            MeterRegistry[] meters = {firstMeters, second.getBean(MeterRegistry.class)};

            // a limit too small for blocks (under 4): every grant is decided by the database at the time
            load(instances, admissions, dispatcher, 1500, SMALL_LIMIT, 24);

            // a limit with blocks (4 spare connections per instance): most grants are answered from them, the rows
            // written behind, and every release goes to the other instance, often before the row is written
            assertThat(send("PUT", "/api/v1/vaults/1500/connection-limit", operator, "{\"limit\":0}").statusCode()).isEqualTo(200);
            assertThat(send("POST", "/api/v1/vaults", operator, "{\"id\":1501,\"dataShards\":2,\"parityShards\":1,\"hosts\":["
                    + hosts.hostId(3) + "," + hosts.hostId(4) + "," + hosts.hostId(5) + "]}").statusCode()).isEqualTo(201);
            assertThat(send("PUT", "/api/v1/vaults/1501/connection-limit", operator, "{\"limit\":" + BLOCK_LIMIT + "}").statusCode()).isEqualTo(200);
            double[] fromBlocks = {blockGrants(meters[0]), blockGrants(meters[1])};
            load(instances, admissions, dispatcher, 1501, BLOCK_LIMIT, 64);
            assertThat(blockGrants(meters[0]) - fromBlocks[0]).as("grants from the first instance's block").isPositive();
            assertThat(blockGrants(meters[1]) - fromBlocks[1]).as("grants from the second instance's block").isPositive();
            assertThat(jdbc.sql("SELECT reserved FROM vault_admission WHERE vault_id = 1501").query(Integer.class).single())
                    .as("the spare connections reserved are those the two instances hold")
                    .isEqualTo(admissions[0].spare(1501) + admissions[1].spare(1501));
        }
    }

    /**
     * {@code clients} clients acquire and release through both instances against one vault of limit {@code limit}
     * (each release through the other instance than its grant); checks the limit was never exceeded, from the logged
     * grants and from the database, and that every lease is accounted for.
     */
    private void load(URI[] instances, Admission[] admissions, String dispatcher, int vault, int limit, int clientCount) throws Exception {
        ConcurrentLinkedQueue<Held> log = new ConcurrentLinkedQueue<>();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger worstInDatabase = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                // open leases and reserved connections together never pass the limit
                int counted = jdbc.sql("SELECT COALESCE(max(active + reserved), 0) FROM vault_admission WHERE vault_id = ?").param(vault)
                        .query(Integer.class).single();
                int open = jdbc.sql("SELECT count(*) FROM upload_lease WHERE vault_id = ? AND ended_at IS NULL").param(vault)
                        .query(Integer.class).single();
                worstInDatabase.accumulateAndGet(Math.max(counted, open), Math::max);
            }
        });
        sampler.start();
        ExecutorService clients = Executors.newFixedThreadPool(clientCount);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    int instance = (client + i) % 2;
                    HttpResponse<String> r = call(instances[instance], "POST", "/api/v1/uploads", dispatcher,
                            "{\"clientId\":\"c" + client + "\"}");
                    if (r.statusCode() == 503) {
                        rejected.incrementAndGet();
                        continue;
                    }
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                    long granted = System.nanoTime();
                    JsonNode lease = JSON.readTree(r.body());
                    assertThat(lease.path("vaultId").asInt()).isEqualTo(vault);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 6));
                    long releasing = System.nanoTime();
                    log.add(new Held(lease.path("leaseId").asString(), granted, releasing, instance));
                    HttpResponse<String> end = call(instances[1 - instance], "DELETE", "/api/v1/uploads/" + lease.path("leaseId").asString(),
                            dispatcher, "{\"outcome\":\"COMPLETED\",\"bytes\":100}");
                    assertThat(end.statusCode()).as(end.body()).isEqualTo(200);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        running.set(false);
        sampler.join();
        for (Admission a : admissions) {
            a.awaitWritten();
        }

        // (and the limit was approached: the logged intervals lie strictly inside the leases, so they rarely all overlap)
        assertThat(maxOverlap(log)).as("logged grants overlapping at any moment").isLessThanOrEqualTo(limit)
                .isGreaterThanOrEqualTo(Math.min(3, limit - 1));
        assertThat(worstInDatabase.get()).as("open leases, and open plus reserved, sampled in the database").isLessThanOrEqualTo(limit);
        assertThat(rejected.get()).as(clientCount + " clients on " + limit + " connections are refused sometimes").isPositive();
        assertThat(log).extracting(Held::instance).contains(0, 1);
        long rows = jdbc.sql("SELECT count(*) FROM upload_lease WHERE vault_id = ?").param(vault).query(Long.class).single();
        long completed = jdbc.sql("SELECT count(*) FROM upload_lease WHERE vault_id = ? AND outcome = 'COMPLETED'").param(vault).query(Long.class).single();
        assertThat(rows).as("one lease row per logged grant").isEqualTo(log.size());
        assertThat(completed).isEqualTo(log.size());
        assertThat(jdbc.sql("SELECT active FROM vault_admission WHERE vault_id = ?").param(vault).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COALESCE(sum(active), 0) FROM pod_admission WHERE vault_id = ?").param(vault).query(Integer.class).single()).isZero();
    }

    private static double blockGrants(MeterRegistry meters) {
        return meters.counter("podfleet.admission.block.grants").count();
    }

    private static int maxOverlap(ConcurrentLinkedQueue<Held> log) {
        List<long[]> edges = new ArrayList<>();
        for (Held h : log) {
            edges.add(new long[]{h.grantedNanos(), +1});
            edges.add(new long[]{h.releasingNanos(), -1});
        }
        // at equal times count the release first: the logged intervals are strictly inside the true ones
        Collections.sort(edges, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int max = 0;
        for (long[] e : edges) {
            open += (int) e[1];
            max = Math.max(max, open);
        }
        return max;
    }

    private static HttpResponse<String> call(URI base, String method, String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
