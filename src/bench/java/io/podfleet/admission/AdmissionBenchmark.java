package io.podfleet.admission;

import io.podfleet.bench.OpenLoop;
import io.podfleet.bench.PlainHttp;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload admission over HTTP against a running server (bench/admission.sh starts one): four 17 + 3 vaults of
 * simulated hosts, each limited to 16 connections (64 in all, one per client); then
 * (1) acquire + release pairs per second with 64 closed-loop clients, the database sampled for limit violations;
 * (2) pairs of two calls to a trivial authenticated endpoint, same clients, same client code: the HTTP ceiling;
 *     both again with wrk when it is installed, then in three rounds of wrk's two back to back (each round's ratio);
 * (3) acquire latency at a fixed rate of half the best pairs rate (open loop, plain keep-alive connections), after
 *     the same load has run for BENCH_LATENCY_WARMUP seconds (default 10) on the same connections;
 * (4) at the same rate and with the same client, the latency of pairs of trivial GETs: the tail the HTTP stack and
 *     this machine give any endpoint under that load.
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
        if (System.getenv("BENCH_ASYNC_COMMIT") != null) { // experiment: how much of the cost is waiting for WAL flushes
            try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                db.createStatement().execute("ALTER SYSTEM SET synchronous_commit = off");
                db.createStatement().execute("SELECT pg_reload_conf()");
            }
        }
        String operator = token(server, admin, "OPERATOR");
        String dispatcher = token(server, admin, "DISPATCHER");
        Simulator hosts = new Simulator(new Simulator.Settings(server, operator, 20 * VAULTS, 6, Duration.ofMinutes(15),
                Duration.ofSeconds(30), 0, 1, new String[]{"sac1"}, "backblaze-pod-6.0", "adm" + System.currentTimeMillis() % 100000, 1),
                line -> { });
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
        // the hosts stay HEALTHY for the whole run: a host silent for podfleet.fleet.stale-after (5 min) goes STALE and
        // its vault stops taking writes, and the run is longer than that
        Thread heartbeats = new Thread(() -> {
            long pause = 60_000;
            while (true) {
                try {
                    Thread.sleep(pause);
                    hosts.heartbeatAll();
                    pause = 60_000;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) { // (a kept-alive connection the server closed meanwhile, seen once): again soon
                    System.out.println("heartbeats of the simulated hosts failed, again in 5 s: " + e);
                    pause = 5_000;
                }
            }
        }, "heartbeats");
        heartbeats.setDaemon(true);
        heartbeats.start();
        List<Integer> vaults = new ArrayList<>();
        JSON.readTree(send(server, "GET", "/api/v1/vaults", admin, null).body()).forEach(v -> vaults.add(v.path("id").asInt()));
        limits(server, operator, vaults, LIMIT);
        if (System.getenv("BENCH_HOLD") != null) { // keep the server up for probing by hand
            System.out.println("dispatcher token: " + dispatcher);
            Thread.sleep(Long.parseLong(System.getenv("BENCH_HOLD")) * 1000);
            return;
        }
        System.out.printf("cores=%d vaults=%d limit per vault=%d clients=64 seconds=%d warm-up=%s s%n",
                Runtime.getRuntime().availableProcessors(), vaults.size(), LIMIT, seconds,
                System.getenv().getOrDefault("BENCH_WARMUP", "60"));

        // warm-up: the JIT keeps compiling the grant and end paths for minutes (pairs/s rose threefold over 2.5
        // minutes of load in a probe), and a production dispatcher runs warm
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "60"));
        if (!"fresh".equals(System.getenv("BENCH_WAL"))) {
            walAsInService(jdbcUrl);
        }
        IngestBenchmark.load(64, warmup, (c, n) -> pair(server, dispatcher));
        if (System.getenv("WRK") != null && !System.getenv("WRK").isBlank()) {
            untilJitSettles(server, dispatcher, admin, jdbcUrl);
        }
        if (System.getenv("BENCH_RATE") != null) { // only acquire latency at this rate, five times (for probing the tail)
            boolean small = "16".equals(System.getenv("BENCH_LIMIT"));
            limits(server, operator, vaults, small ? LIMIT : null);
            System.out.printf("vault limits for the latency runs: %s%n", small ? LIMIT : "the defaults (burn-in 2,500)");
            for (int i = 0; i < 5; i++) {
                double[] before = groups(server, admin);
                IngestBenchmark.Result r = System.getenv("BENCH_TRIVIAL") != null // the same load of trivial GET pairs: the HTTP stack's own tail
                        ? trivialOpenLoop(server, admin, Integer.parseInt(System.getenv("BENCH_RATE")), seconds)
                        : openLoop(server, dispatcher, Integer.parseInt(System.getenv("BENCH_RATE")), seconds);
                System.out.printf("acquire latency at %s/s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d; %s%n",
                        System.getenv("BENCH_RATE"), r.p(50), r.p(95), r.p(99), r.p(100), r.errors(), groupsSince(before, server, admin));
            }
            return;
        }
        sequential(server, dispatcher, admin);
        if (System.getenv("BENCH_SQL") != null) {
            sqlOnly(jdbcUrl, vaults.get(0));
        }
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger worst = new AtomicInteger();
        AtomicLong samples = new AtomicLong();
        Thread sampler = new Thread(() -> sample(jdbcUrl, sampling, worst, samples));
        sampler.start();
        PAIR_FAILURES.clear(); // the warm-up's are not the run's
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
        if (!PAIR_FAILURES.isEmpty()) {
            System.out.println("  failed pairs (an acquire refused at the limit is a 503; a release that failed leaves its lease open until it expires): " + PAIR_FAILURES);
        }
        System.out.printf("two trivial authenticated GETs, 64 clients: %.0f pairs/s; ratio admission/ceiling %.2f%n",
                ceiling.rate(), pairs.rate() / ceiling.rate());
        System.out.printf("limit violations: %d (largest open (or open + reserved) count of a vault in %d database samples: %d, limit %d)%n",
                worst.get() > LIMIT ? 1 : 0, samples.get(), worst.get(), LIMIT);

        double best = pairs.rate();
        if (System.getenv("WRK") != null && !System.getenv("WRK").isBlank()) { // bench scripts pass WRK= when wrk is not installed
            // the same two measures with wrk, a C load tool that leaves the server the machine's cores
            best = Math.max(best, wrk(System.getenv("WRK"), server, dispatcher, "bench/admission-pairs.lua", seconds));
            wrk(System.getenv("WRK"), server, admin, "bench/trivial-pairs.lua", seconds);
            // wrk stops with each connection's last lease still open (up to 64 against a total limit of 64):
            // end them as their front-end would, or the latency run would find most vaults at their limit
            System.out.printf("leases wrk left open, now ended: %d%n", endLeftovers(server, dispatcher, jdbcUrl));
            // the two halves of that ratio were measured 20 s apart, and this machine's speed moves on that scale
            IngestBenchmark.rounds("admission (wrk)/ceiling", seconds, "wrk pairs", part -> wrkPairs(server, dispatcher, jdbcUrl, part),
                    "wrk trivial pairs", part -> wrk(System.getenv("WRK"), server, admin, "bench/trivial-pairs.lua", part),
                    (admitted, trivialPairs) -> admitted / trivialPairs);
        }
        int rate = (int) Math.max(1, best / 2);
        // at the limit of production vaults (the burn-in limit, 2,500), then at this benchmark's 16: a small limit
        // leaves each instance a small block of spare connections (a quarter of it), so more grants wait for the
        // database when its writer stalls
        for (Integer limit : new Integer[] {null, LIMIT}) {
            limits(server, operator, vaults, limit);
            double[] before = groups(server, admin);
            IngestBenchmark.Result latency = openLoop(server, dispatcher, rate, seconds);
            System.out.printf("acquire latency at %d acquires/s (half the best pairs rate; open loop, plain keep-alive connections), vault limit %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d%n",
                    rate, limit == null ? "2,500 (default)" : limit, latency.p(50), latency.p(95), latency.p(99), latency.errors());
            System.out.printf("  server side: %s%n", groupsSince(before, server, admin));
        }
        // the HTTP stack's own tail at the same rate, same client: what any endpoint of this server gets here
        IngestBenchmark.Result trivialLatency = trivialOpenLoop(server, admin, rate, seconds);
        System.out.printf("trivial GET latency at %d pairs/s (the same open-loop client, the first GET of each pair timed): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d%n",
                rate, trivialLatency.p(50), trivialLatency.p(95), trivialLatency.p(99), trivialLatency.errors());
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet rs = db.createStatement().executeQuery("SELECT (SELECT COALESCE(sum(active),0) FROM vault_admission),"
                     + " (SELECT count(*) FROM upload_lease WHERE ended_at IS NULL), (SELECT count(*) FROM upload_lease)")) {
            rs.next();
            System.out.printf("at the end: counters %d, open leases %d, leases granted in all %d%n", rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** Sets every vault's operator limit (null clears it: the vault's own limit applies) and waits for the server to see it. */
    private static void limits(URI server, String operator, List<Integer> vaults, Integer limit) throws Exception {
        for (int v : vaults) {
            send(server, "PUT", "/api/v1/vaults/" + v + "/connection-limit", operator, "{\"limit\":" + limit + "}");
        }
        Thread.sleep(1500); // the candidate cache of the server (1 s) sees the new limits
    }

    /** One client, one call at a time: where a single acquire, release and trivial GET spend their time. */
    private static void sequential(URI server, String dispatcher, String admin) throws Exception {
        long acquire = 0;
        long release = 0;
        long trivial = 0;
        int n = 300;
        long[] acquires = new long[n];
        try (PlainHttp asDispatcher = new PlainHttp(server, dispatcher); PlainHttp asAdmin = new PlainHttp(server, admin)) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                PlainHttp.Answer lease = asDispatcher.send("POST", "/api/v1/uploads", "{\"clientId\":\"seq\"}");
                long t1 = System.nanoTime();
                asDispatcher.send("DELETE", "/api/v1/uploads/" + JSON.readTree(lease.body()).path("leaseId").asString(),
                        "{\"outcome\":\"COMPLETED\"}");
                long t2 = System.nanoTime();
                asAdmin.send("GET", "/api/v1/hardware-profiles/backblaze-pod-6.0", null);
                long t3 = System.nanoTime();
                acquire += t1 - t0;
                acquires[i] = (t1 - t0) / 1000;
                release += t2 - t1;
                trivial += t3 - t2;
            }
        }
        System.out.printf("one client, one call at a time (%d each): acquire %.2f ms, release %.2f ms, trivial GET %.2f ms (means)%n",
                n, acquire / 1e6 / n, release / 1e6 / n, trivial / 1e6 / n);
        java.util.Arrays.sort(acquires);
        System.out.printf("  acquire p10 %.1f, p50 %.1f, p90 %.1f, p99 %.1f ms%n", acquires[n / 10] / 1e3, acquires[n / 2] / 1e3,
                acquires[n * 9 / 10] / 1e3, acquires[n * 99 / 100] / 1e3);
    }

    private static void sqlOnly(String jdbcUrl, int vault) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            String grant = """
                    WITH v AS (UPDATE vault_admission a SET active = a.active + 1, updated_at = now() FROM vault w
                      WHERE a.vault_id = ? AND w.id = a.vault_id AND w.writable AND a.active < 1000000 RETURNING a.vault_id),
                    pick AS (SELECT position FROM pod_admission WHERE vault_id = ? AND position = ANY('{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19}'::int[])
                      ORDER BY active, random() LIMIT 1),
                    p AS (UPDATE pod_admission d SET active = d.active + 1 FROM v, pick WHERE d.vault_id = v.vault_id AND d.position = pick.position
                      RETURNING d.vault_id, d.position)
                    INSERT INTO upload_lease (id, vault_id, position, host_id, tome, client_id, granted_by, acquired_at, expires_at)
                    SELECT gen_random_uuid(), v.vault_id, p.position, 1, 0, 'sql', 'sql', now(), now() + interval '10 minutes' FROM v LEFT JOIN p ON true
                    RETURNING id""";
            String end = """
                    WITH l AS (UPDATE upload_lease SET ended_at = now(), outcome = 'COMPLETED' WHERE id = ?::uuid AND ended_at IS NULL
                      RETURNING vault_id, position, acquired_at),
                    v AS (UPDATE vault_admission a SET active = a.active - 1 FROM l WHERE a.vault_id = l.vault_id RETURNING l.vault_id, l.position),
                    p AS (UPDATE pod_admission p SET active = p.active - 1 FROM v WHERE p.vault_id = v.vault_id AND p.position = v.position RETURNING p.position)
                    SELECT l.acquired_at FROM l, (SELECT count(*) FROM p) pods""";
            var g = db.prepareStatement(grant);
            var e = db.prepareStatement(end);
            long tg = 0;
            long te = 0;
            for (int i = 0; i < 300; i++) {
                long t0 = System.nanoTime();
                g.setInt(1, vault);
                g.setInt(2, vault);
                String id;
                try (ResultSet rs = g.executeQuery()) {
                    rs.next();
                    id = rs.getString(1);
                }
                long t1 = System.nanoTime();
                e.setString(1, id);
                e.executeQuery().close();
                long t2 = System.nanoTime();
                tg += t1 - t0;
                te += t2 - t1;
            }
            System.out.printf("SQL only, one connection, autocommit: grant %.2f ms, end %.2f ms (means of 300)%n", tg / 3e8, te / 3e8);
        }
    }

    /**
     * Gives the new database the WAL segments a database in service has ready for reuse: {@code min_wal_size} of them
     * (1 GB, the embedded database's setting), created now and recycled by a checkpoint. A new database creates each
     * 16 MB segment when it first needs one, writing it full of zeros while every commit waits: one every ~9 s at
     * these rates, and seconds of slow acquires began at most of them (2026-12-03, docs/benchmarks.md). A database in
     * service recycles used segments at each checkpoint instead, as the JIT's warm-up stands for a server in service.
     * {@code BENCH_WAL=fresh} measures the new database as it is.
     */
    private static void walAsInService(String jdbcUrl) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             java.sql.Statement sql = db.createStatement()) {
            long started = System.nanoTime();
            int segments;
            try (ResultSet rs = sql.executeQuery("SELECT pg_size_bytes(current_setting('min_wal_size')) / pg_size_bytes(current_setting('wal_segment_size'))")) {
                rs.next();
                segments = rs.getInt(1);
            }
            sql.execute("CREATE TABLE bench_wal_filler (n int)");
            for (int i = 0; i < segments; i++) { // a record, then the rest of its segment skipped: the next is created
                sql.execute("INSERT INTO bench_wal_filler VALUES (1)");
                sql.execute("SELECT pg_switch_wal()");
            }
            sql.execute("DROP TABLE bench_wal_filler");
            sql.execute("CHECKPOINT");
            System.out.printf("WAL as in service: %d segments created and recycled by a checkpoint in %d ms%n",
                    segments, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * More warm-up, with wrk (which leaves the server the cores, so the hot paths reach the JIT's thresholds sooner):
     * rounds of 10 s of pairs and 10 s of trivial pairs until the server's JIT compiled for under half a second in a
     * round, at most 12 rounds. Measured (2026-12-02): after the 60 s of the Java client the JIT still compiled for
     * seconds of every 20 s, and until it settled (about 200 s into the load) it took the cores from whichever load ran:
     * from the pairs, measured first, more than from the trivial pairs (in a profile 53 against 11 µs of compiler
     * threads per pair). A dispatcher in production runs warm.
     */
    private static void untilJitSettles(URI server, String dispatcher, String admin, String jdbcUrl) throws Exception {
        for (int round = 1; round <= 12; round++) {
            double before = jitMillis(server, admin);
            wrkPairs(server, dispatcher, jdbcUrl, 10);
            wrk(System.getenv("WRK"), server, admin, "bench/trivial-pairs.lua", 10);
            double compiled = jitMillis(server, admin) - before;
            System.out.printf("  warm-up round %d: the server's JIT compiled for %.0f ms in these 20 s%n", round, compiled);
            if (compiled < 500) {
                return;
            }
        }
    }

    /** wrk's acquire + release pairs/s; then ends the leases it left open, or the next run would find the vaults full. */
    private static double wrkPairs(URI server, String dispatcher, String jdbcUrl, int seconds) throws Exception {
        double admitted = wrk(System.getenv("WRK"), server, dispatcher, "bench/admission-pairs.lua", seconds);
        endLeftovers(server, dispatcher, jdbcUrl);
        return admitted;
    }

    /** The server's accumulated JIT compile time (Micrometer's jvm.compilation.time). */
    private static double jitMillis(URI server, String admin) throws Exception {
        String metrics = send(server, "GET", "/actuator/prometheus", admin, null).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^jvm_compilation_time_ms_total\\{[^}]*} ([0-9.E]+)$").matcher(metrics);
        if (!m.find()) {
            throw new IllegalStateException("no jvm_compilation_time_ms_total on /actuator/prometheus");
        }
        return Double.parseDouble(m.group(1));
    }

    /** Runs wrk with a script and prints its summary line; returns the first figure on it (pairs/s). */
    private static double wrk(String wrk, URI server, String token, String script, int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(wrk, "-t2", "-c64", "-d" + seconds + "s", "-s", script, server.toString())
                .redirectErrorStream(true);
        pb.environment().put("TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        List<String> lines = out.lines().filter(l -> l.startsWith("wrk ")).toList();
        lines.forEach(System.out::println);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(": (\\d+) pairs/s").matcher(String.join("\n", lines));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static int endLeftovers(URI server, String dispatcher, String jdbcUrl) throws Exception {
        List<String> open = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "");
             ResultSet rs = db.createStatement().executeQuery("SELECT id FROM upload_lease WHERE ended_at IS NULL AND client_id = 'wrk'")) {
            while (rs.next()) {
                open.add(rs.getString(1));
            }
        }
        try (PlainHttp http = new PlainHttp(server, dispatcher)) {
            for (String id : open) {
                http.send("DELETE", "/api/v1/uploads/" + id, "{\"outcome\":\"COMPLETED\"}");
            }
        }
        return open.size();
    }

    /** What went wrong in the closed-loop pairs, by call and status or exception: printed with the run's errors. */
    private static final Map<String, Integer> PAIR_FAILURES = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** One upload's dispatcher calls: acquire, then release as completed. */
    private static int pair(URI server, String dispatcher) throws Exception {
        HttpResponse<String> lease = failing("acquire", () -> send(server, "POST", "/api/v1/uploads", dispatcher,
                "{\"clientId\":\"bench\",\"sizeHint\":1048576}"));
        if (lease.statusCode() != 201) {
            PAIR_FAILURES.merge("acquire " + lease.statusCode(), 1, Integer::sum);
            return lease.statusCode();
        }
        String id = JSON.readTree(lease.body()).path("leaseId").asString();
        int released = failing("release", () -> send(server, "DELETE", "/api/v1/uploads/" + id, dispatcher,
                "{\"bytes\":1048576,\"files\":1,\"outcome\":\"COMPLETED\"}")).statusCode();
        if (released != 200) {
            PAIR_FAILURES.merge("release " + released, 1, Integer::sum);
        }
        return released;
    }

    private static HttpResponse<String> failing(String call, java.util.concurrent.Callable<HttpResponse<String>> send) throws Exception {
        try {
            return send.call();
        } catch (Exception e) {
            PAIR_FAILURES.merge(call + " " + e, 1, Integer::sum);
            throw e;
        }
    }

    /**
     * Acquires at a fixed rate (open loop), each released right after as completed, over 64 plain keep-alive
     * connections. The i-th acquire is due at start + i / rate; a free connection takes the next one due, waits for
     * its time and sends it, so a connection held up does not hold up the schedule. Latency runs from when the acquire
     * was due, so a stalled server also counts the calls queued behind the stall. (Until 2026-12-01 a pacing thread
     * handed each due time to 32 connections through a queue: two thread wake-ups in this client per acquire, which
     * on the same two cores the client took from the server.)
     */
    private static IngestBenchmark.Result openLoop(URI server, String dispatcher, int perSecond, int seconds) throws Exception {
        // the first seconds of a run measure its own start (new connections, this client's JIT), not the rate
        int warm = Integer.parseInt(System.getenv().getOrDefault("BENCH_LATENCY_WARMUP", "10"));
        if (!"threads".equals(System.getenv("BENCH_LATENCY_CLIENT"))) {
            return openLoopOneThread(server, dispatcher, perSecond, seconds, warm);
        }
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> bySecond = new ConcurrentLinkedQueue<>(); // {second due, latency µs}
        AtomicLong errors = new AtomicLong();
        AtomicLong next = new AtomicLong(); // the next acquire to send
        long interval = 1_000_000_000L / perSecond;
        long total = (long) perSecond * (warm + seconds);
        List<Thread> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < 64; w++) {
            Thread t = new Thread(() -> {
                try (PlainHttp http = new PlainHttp(server, dispatcher)) {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long at = started + i * interval;
                        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        try {
                            PlainHttp.Answer lease = http.send("POST", "/api/v1/uploads", "{\"clientId\":\"latency\"}");
                            long micros = (System.nanoTime() - at) / 1000;
                            long second = (at - started) / 1_000_000_000L - warm;
                            if (second >= 0) {
                                latencies.add(micros);
                                bySecond.add(new long[] {second, micros});
                            }
                            if (lease.status() != 201) {
                                errors.incrementAndGet();
                                continue;
                            }
                            String id = JSON.readTree(lease.body()).path("leaseId").asString();
                            http.send("DELETE", "/api/v1/uploads/" + id, "{\"outcome\":\"COMPLETED\"}");
                        } catch (java.io.IOException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        printSlowestSeconds(bySecond, java.time.LocalTime.now().minusSeconds(seconds).withNano(0));
        return IngestBenchmark.result(latencies, errors, started + warm * 1_000_000_000L);
    }

    /**
     * The same open-loop load from one thread ({@link OpenLoop}): 64 non-blocking keep-alive connections and one
     * selector, each acquire released right after on its connection. The default since 2026-12-01 (ninth session):
     * the thread-per-connection client above took about a quarter of the two cores it shares with the server at
     * 1,600 acquires/s. {@code BENCH_LATENCY_CLIENT=threads} runs that one, for comparison.
     */
    private static IngestBenchmark.Result openLoopOneThread(URI server, String dispatcher, int perSecond, int seconds, int warm) throws Exception {
        return timedOpenLoop(server, dispatcher, perSecond, seconds, warm,
                new OpenLoop.Request("POST", "/api/v1/uploads", "{\"clientId\":\"latency\"}"), 201, (status, body) -> {
                    int at = body.indexOf("\"leaseId\":\"");
                    if (status != 201 || at < 0) {
                        return null;
                    }
                    at += 11;
                    return new OpenLoop.Request("DELETE", "/api/v1/uploads/" + body.substring(at, body.indexOf('"', at)), "{\"outcome\":\"COMPLETED\"}");
                });
    }

    /** Open-loop pairs of trivial authenticated GETs, the first of each timed: what the HTTP stack alone gives. */
    private static IngestBenchmark.Result trivialOpenLoop(URI server, String admin, int perSecond, int seconds) throws Exception {
        OpenLoop.Request get = new OpenLoop.Request("GET", "/api/v1/hardware-profiles/backblaze-pod-6.0", null);
        return timedOpenLoop(server, admin, perSecond, seconds, Integer.parseInt(System.getenv().getOrDefault("BENCH_LATENCY_WARMUP", "10")),
                get, 200, (status, body) -> get);
    }

    /**
     * {@code call} at {@code perSecond} for {@code warm + seconds} seconds, each answer followed by what {@code then}
     * makes of it (null: nothing); the calls due in the first {@code warm} seconds are not counted. A timed call
     * answered with another status than {@code ok}, and a follow-up not answered 200, count as errors.
     */
    private static IngestBenchmark.Result timedOpenLoop(URI server, String token, int perSecond, int seconds, int warm,
                                                        OpenLoop.Request call, int ok,
                                                        java.util.function.BiFunction<Integer, String, OpenLoop.Request> then) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> followUps = new ConcurrentLinkedQueue<>();
        List<long[]> bySecond = new ArrayList<>(); // {second due, latency µs, of it µs waiting for a free connection}
        AtomicLong errors = new AtomicLong();
        Map<String, Integer> failures = new java.util.TreeMap<>();
        long started = System.nanoTime();
        long measuredFrom = started + warm * 1_000_000_000L;
        OpenLoop client = new OpenLoop(server, token);
        int connections = Integer.parseInt(System.getenv().getOrDefault("BENCH_CONNECTIONS", "64"));
        client.run(connections, perSecond, (long) perSecond * (warm + seconds), started, new OpenLoop.Script() {
            @Override
            public OpenLoop.Request call(long i) {
                return call;
            }

            @Override
            public OpenLoop.Request then(int status, String body) {
                return then.apply(status, body);
            }
        }, new OpenLoop.Outcomes() {
            @Override
            public void timed(long i, long due, long sent, long answered, int status) {
                long micros = (answered - due) / 1000;
                long second = (due - started) / 1_000_000_000L - warm;
                if (second >= 0) {
                    latencies.add(micros);
                    bySecond.add(new long[] {second, micros, (sent - due) / 1000});
                }
                if (status != ok) {
                    errors.incrementAndGet();
                    failures.merge(call.method() + " " + status, 1, Integer::sum);
                }
            }

            @Override
            public void followed(int status, long ready, long answered) {
                if (ready >= measuredFrom) {
                    followUps.add((answered - ready) / 1000);
                }
                if (status != 200) {
                    errors.incrementAndGet();
                    failures.merge("follow-up " + status, 1, Integer::sum);
                }
            }
        });
        if (!failures.isEmpty()) {
            System.out.println("  failed calls (status 0: no answer): " + failures);
        }
        System.out.printf("  calls sent over 2 ms after their due time (no free one of %d connections, or this client's thread held up; the wait is in the latency): %d%n",
                connections, client.sentLate());
        IngestBenchmark.Result following = IngestBenchmark.result(followUps, new AtomicLong(), measuredFrom);
        System.out.printf("  the follow-up calls (each on its timed call's connection): p50 %.1f ms, p99 %.1f ms, max %.1f ms from when each was ready to send%n",
                following.p(50), following.p(99), following.p(100));
        printSlowestSeconds(bySecond, java.time.LocalTime.now().minusSeconds(seconds).withNano(0));
        return IngestBenchmark.result(latencies, errors, measuredFrom);
    }

    /** Where the tail comes from: the seconds of the run with the most timed calls over 20 ms. */
    private static void printSlowestSeconds(java.util.Collection<long[]> bySecond, java.time.LocalTime measuredFrom) {
        java.util.Map<Long, List<Long>> seconds = new java.util.TreeMap<>();
        java.util.Map<Long, long[]> waits = new java.util.HashMap<>(); // per second, of calls over 20 ms: {latency, waiting} µs
        for (long[] e : bySecond) {
            seconds.computeIfAbsent(e[0], k -> new ArrayList<>()).add(e[1]);
            if (e.length > 2 && e[1] > 20_000) {
                long[] w = waits.computeIfAbsent(e[0], k -> new long[2]);
                w[0] += e[1];
                w[1] += e[2];
            }
        }
        StringBuilder line = new StringBuilder("  seconds with the most timed calls over 20 ms:");
        seconds.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().stream().filter(v -> v > 20_000).count(),
                        a.getValue().stream().filter(v -> v > 20_000).count()))
                .limit(6)
                .forEach(e -> line.append(String.format(" %d s (%s): %d of %d (max %.0f ms%s);", e.getKey(), measuredFrom.plusSeconds(e.getKey()),
                        e.getValue().stream().filter(v -> v > 20_000).count(), e.getValue().size(),
                        e.getValue().stream().mapToLong(Long::longValue).max().orElse(0) / 1e3,
                        waits.containsKey(e.getKey()) ? String.format(", of the slow ones' latency %.0f %% waiting for a connection",
                                100.0 * waits.get(e.getKey())[1] / Math.max(1, waits.get(e.getKey())[0])) : "")));
        System.out.println(line);
    }

    private static void sample(String jdbcUrl, AtomicBoolean running, AtomicInteger worst, AtomicLong samples) {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (running.get()) {
                try (ResultSet rs = db.createStatement().executeQuery(
                        "SELECT COALESCE(max(n), 0) FROM (SELECT count(*) AS n FROM upload_lease WHERE ended_at IS NULL GROUP BY vault_id) o")) {
                    rs.next();
                    worst.accumulateAndGet(rs.getInt(1), Math::max);
                }
                // open leases and the spare connections instances hold reserved: together never past the limit
                try (ResultSet rs = db.createStatement().executeQuery("SELECT COALESCE(max(active + reserved), 0) FROM vault_admission")) {
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

    /** The server's group-commit meters: {groups, entries, seconds writing, seconds in the database call}. */
    private static double[] groups(URI server, String admin) throws Exception {
        double[] out = new double[6];
        for (String line : send(server, "GET", "/actuator/prometheus", admin, null).body().split("\n")) {
            String[] kv = line.split(" ");
            switch (kv[0]) {
                case "podfleet_admission_group_entries_count" -> out[0] = Double.parseDouble(kv[1]);
                case "podfleet_admission_group_entries_sum" -> out[1] = Double.parseDouble(kv[1]);
                case "podfleet_admission_group_write_seconds_sum" -> out[2] = Double.parseDouble(kv[1]);
                case "podfleet_admission_group_call_seconds_sum" -> out[3] = Double.parseDouble(kv[1]);
                case "podfleet_admission_block_grants_total" -> out[4] = Double.parseDouble(kv[1]);
                default -> {
                    if (kv[0].startsWith("podfleet_admission_admits_total{")) {
                        out[5] += Double.parseDouble(kv[1]);
                    }
                }
            }
        }
        return out;
    }

    private static String groupsSince(double[] before, URI server, String admin) throws Exception {
        double[] now = groups(server, admin);
        double n = now[0] - before[0];
        return String.format("%.0f groups of %.1f grants and ends on average, %.2f ms each to write and commit"
                        + " (%.2f ms of it in the database call); %.0f of %.0f grants from spare connections (blocks)",
                n, (now[1] - before[1]) / Math.max(1, n), (now[2] - before[2]) * 1000 / Math.max(1, n),
                (now[3] - before[3]) * 1000 / Math.max(1, n), now[4] - before[4], now[5] - before[5]);
    }

    private static HttpResponse<String> send(URI server, String method, String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
