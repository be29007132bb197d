package io.podfleet.admission;

import io.podfleet.simulate.IngestBenchmark;
import io.podfleet.simulate.Simulator;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload admission over HTTP against a running server (bench/admission.sh starts one): four 17 + 3 vaults of
 * simulated hosts, each limited to 16 connections (64 in all, one per client); then
 * (1) acquire + release pairs per second with 64 closed-loop clients, the database sampled for limit violations;
 * (2) pairs of two calls to a trivial authenticated endpoint, same clients, same client code: the HTTP ceiling;
 * (3) acquire latency at a fixed rate of half the pairs rate (open loop).
 * Prints measured figures only. Args: serverUrl adminToken jdbcUrl [seconds]
 */
public final class AdmissionBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int VAULTS = 4;
    private static final int LIMIT = 16;

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        String admin = args[1];
        String jdbcUrl = args[2];
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        String operator = token(server, admin, "OPERATOR");
        String dispatcher = token(server, admin, "DISPATCHER");
        try (Simulator hosts = new Simulator(new Simulator.Settings(server, operator, 20 * VAULTS, 6, Duration.ofMinutes(15),
                Duration.ofSeconds(30), 0, 1, new String[]{"sac1"}, "backblaze-pod-6.0", "adm" + System.currentTimeMillis() % 100000, 1),
                line -> { })) {
            hosts.enroll();
            hosts.reportAll();
            hosts.heartbeatAll();
            // 80 hosts in 20 cabinets: each group of 20 (one per cabinet) forms a vault
            for (int v = 0; v < VAULTS; v++) {
                StringBuilder ids = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    ids.append(i == 0 ? "" : ",").append(hosts.hostId(v * 20 + i));
                }
                int status = send(server, "POST", "/api/v1/vaults", operator, "{\"hosts\":[" + ids + "]}").statusCode();
                if (status != 201) {
                    throw new IllegalStateException("forming vault " + v + ": HTTP " + status);
                }
            }
        }
        List<Integer> vaults = new ArrayList<>();
        JSON.readTree(send(server, "GET", "/api/v1/vaults", admin, null).body()).forEach(v -> vaults.add(v.path("id").asInt()));
        for (int v : vaults) {
            send(server, "PUT", "/api/v1/vaults/" + v + "/connection-limit", operator, "{\"limit\":" + LIMIT + "}");
        }
        Thread.sleep(1500); // the candidate cache of the server (1 s) sees the new limits
        System.out.printf("cores=%d vaults=%d limit per vault=%d clients=64 seconds=%d%n",
                Runtime.getRuntime().availableProcessors(), vaults.size(), LIMIT, seconds);

        IngestBenchmark.load(64, 5, (c, n) -> pair(server, dispatcher)); // warm-up
        sequential(server, dispatcher, admin);
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger worst = new AtomicInteger();
        AtomicLong samples = new AtomicLong();
        Thread sampler = new Thread(() -> sample(jdbcUrl, sampling, worst, samples));
        sampler.start();
        IngestBenchmark.Result pairs = IngestBenchmark.load(64, seconds, (c, n) -> pair(server, dispatcher));
        sampling.set(false);
        sampler.join();
        HttpRequest trivial = HttpRequest.newBuilder(server.resolve("/api/v1/hardware-profiles/backblaze-pod-6.0"))
                .header("Authorization", "Bearer " + admin).GET().build();
        IngestBenchmark.Result ceiling = IngestBenchmark.load(64, seconds, (c, n) -> {
            int a = HTTP.send(trivial, HttpResponse.BodyHandlers.discarding()).statusCode();
            int b = HTTP.send(trivial, HttpResponse.BodyHandlers.discarding()).statusCode();
            return Math.max(a, b);
        });
        System.out.printf("acquire+release pairs, 64 clients: %.0f pairs/s (pair p50 %.1f ms, p99 %.1f ms, errors %d)%n",
                pairs.rate(), pairs.p(50), pairs.p(99), pairs.errors());
        System.out.printf("two trivial authenticated GETs, 64 clients: %.0f pairs/s; ratio admission/ceiling %.2f%n",
                ceiling.rate(), pairs.rate() / ceiling.rate());
        System.out.printf("limit violations: %d (largest open count of a vault in %d database samples: %d, limit %d)%n",
                worst.get() > LIMIT ? 1 : 0, samples.get(), worst.get(), LIMIT);

        int rate = (int) Math.max(1, pairs.rate() / 2);
        IngestBenchmark.Result latency = openLoop(server, dispatcher, rate, seconds);
        System.out.printf("acquire latency at %d acquires/s (half the pairs rate): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d%n",
                rate, latency.p(50), latency.p(95), latency.p(99), latency.errors());
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet rs = db.createStatement().executeQuery("SELECT (SELECT COALESCE(sum(active),0) FROM vault_admission),"
                     + " (SELECT count(*) FROM upload_lease WHERE ended_at IS NULL), (SELECT count(*) FROM upload_lease)")) {
            rs.next();
            System.out.printf("at the end: counters %d, open leases %d, leases granted in all %d%n", rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** One client, one call at a time: where a single acquire, release and trivial GET spend their time. */
    private static void sequential(URI server, String dispatcher, String admin) throws Exception {
        long acquire = 0;
        long release = 0;
        long trivial = 0;
        int n = 300;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> lease = send(server, "POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"seq\"}");
            long t1 = System.nanoTime();
            send(server, "DELETE", "/api/v1/uploads/" + JSON.readTree(lease.body()).path("leaseId").asString(), dispatcher,
                    "{\"outcome\":\"COMPLETED\"}");
            long t2 = System.nanoTime();
            send(server, "GET", "/api/v1/hardware-profiles/backblaze-pod-6.0", admin, null);
            long t3 = System.nanoTime();
            acquire += t1 - t0;
            release += t2 - t1;
            trivial += t3 - t2;
        }
        System.out.printf("one client, one call at a time (%d each): acquire %.2f ms, release %.2f ms, trivial GET %.2f ms (means)%n",
                n, acquire / 1e6 / n, release / 1e6 / n, trivial / 1e6 / n);
    }

    /** One upload's dispatcher calls: acquire, then release as completed. */
    private static int pair(URI server, String dispatcher) throws Exception {
        HttpResponse<String> lease = send(server, "POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"bench\",\"sizeHint\":1048576}");
        if (lease.statusCode() != 201) {
            return lease.statusCode();
        }
        String id = JSON.readTree(lease.body()).path("leaseId").asString();
        return send(server, "DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"bytes\":1048576,\"files\":1,\"outcome\":\"COMPLETED\"}").statusCode();
    }

    private static IngestBenchmark.Result openLoop(URI server, String dispatcher, int perSecond, int seconds) throws Exception {
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> pool.submit(() -> {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> lease = send(server, "POST", "/api/v1/uploads", dispatcher, "{\"clientId\":\"latency\"}");
                latencies.add((System.nanoTime() - t0) / 1000);
                if (lease.statusCode() != 201) {
                    errors.incrementAndGet();
                    return;
                }
                String id = JSON.readTree(lease.body()).path("leaseId").asString();
                send(server, "DELETE", "/api/v1/uploads/" + id, dispatcher, "{\"outcome\":\"COMPLETED\"}");
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }), 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdownNow();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        return IngestBenchmark.result(latencies, errors, started);
    }

    private static void sample(String jdbcUrl, AtomicBoolean running, AtomicInteger worst, AtomicLong samples) {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (running.get()) {
                try (ResultSet rs = db.createStatement().executeQuery(
                        "SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM upload_lease WHERE ended_at IS NULL GROUP BY vault_id) o")) {
                    rs.next();
                    worst.accumulateAndGet(rs.getInt(1), Math::max);
                }
                try (ResultSet rs = db.createStatement().executeQuery("SELECT COALESCE(max(active), 0) FROM vault_admission")) {
                    rs.next();
                    worst.accumulateAndGet(rs.getInt(1), Math::max);
                }
                samples.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(URI server, String admin, String role) throws Exception {
        return JSON.readTree(send(server, "POST", "/api/v1/api-tokens", admin,
                JSON.writeValueAsString(Map.of("name", "bench-" + role + "-" + System.nanoTime(), "role", role))).body()).path("token").asString();
    }

    private static HttpResponse<String> send(URI server, String method, String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
