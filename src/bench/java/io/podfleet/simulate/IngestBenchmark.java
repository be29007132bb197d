package io.podfleet.simulate;

import io.podfleet.protocol.v1.HostReport;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.StringReader;
import io.podfleet.bench.PlainHttp;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingestion figures over HTTP against a running server (bench/ingest.sh starts one): full 60-drive reports
 * (throughput with 16 clients, then latency at a fixed 50 reports/s), the ceiling of a raw COPY of the same rows,
 * heartbeats, and a trivial authenticated endpoint for the HTTP ceiling. Prints measured figures only.
 * Args: serverUrl adminToken jdbcUrl [hosts] [seconds]
 */
public final class IngestBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WRK_THREADS = 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args[0]);
        String admin = args[1];
        String jdbcUrl = args[2];
        int hostCount = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;

        String operator = JSON.readTree(post(server, "/api/v1/api-tokens", admin,
                JSON.writeValueAsBytes(java.util.Map.of("name", "bench-" + System.currentTimeMillis(), "role", "OPERATOR"))).body())
                .path("token").asString();
        Simulator simulator = new Simulator(new Simulator.Settings(server, operator, hostCount, 60, Duration.ofMinutes(15),
                Duration.ofSeconds(30), 1.5, 1, new String[]{"b1", "b2"}, "backblaze-pod-6.0", "bench" + System.currentTimeMillis() % 100000, 1),
                line -> { });
        List<SimulatedHost> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            SimulatedHost h = new SimulatedHost(i, 60, simulator.settings().prefix(), simulator.settings().datacenters(),
                    "backblaze-pod-6.0", 1);
            simulator.enrollHost(h);
            hosts.add(h);
        }
        System.out.printf("enrolled %d hosts of 60 drives; a report's body is about %,d bytes%n", hostCount,
                JSON.writeValueAsBytes(hosts.get(0).tick(0.25, 1.5)).length);

        // warm-up: one report per host (creates drives and the month's partition), then load until the JIT has
        // compiled the report path: a server in service runs warm, and on these two cores C2 still took 30-45 % of
        // the server's CPU 60-85 s after its start and 18 % at 85-100 s (docs/benchmarks.md), so 120 s
        for (SimulatedHost h : hosts) {
            report(server, h);
        }
        // as in a fleet in service, the hosts hold vaults (each group of 20, one host per cabinet): a report of a
        // vault's member is followed by what its vault does with it
        int inVaults = formVaults(server, operator, hosts);
        System.out.printf("hosts in vaults: %d of %d%n", inVaults, hosts.size());
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP", "120"));
        closedLoop(server, hosts, 16, warmup, false);
        System.out.printf("warm-up: %d s of reports%n", warmup);

        Result reports = closedLoop(server, hosts, 16, seconds, false);
        if (System.getenv("BENCH_REPORTS_ONLY") != null) { // for profiling the report path alone
            System.out.printf("reports only: %.1f reports/s%n", reports.rate());
            System.exit(0);
        }
        System.out.printf("reports, 16 clients, %d s: %.1f reports/s (%.0f drive samples/s), p50 %.1f ms, p99 %.1f ms, errors %d%n",
                seconds, reports.rate(), reports.rate() * 60, reports.p(50), reports.p(99), reports.errors);
        Result paced = openLoop(server, hosts, 50, seconds);
        System.out.printf("reports at a fixed 50/s, %d s: %.1f reports/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d%n",
                seconds, paced.rate(), paced.p(50), paced.p(95), paced.p(99), paced.errors);
        double copy = copyCeiling(jdbcUrl, seconds);
        System.out.printf("ceiling: one COPY of 60 sample rows + commit per report, one client: %.1f reports/s; ingest/ceiling = %.2f%n",
                copy, reports.rate() / copy);
        String wrk = System.getenv("WRK");
        if (wrk != null && !wrk.isBlank()) {
            // the same reports from wrk, a C load tool: the Java client above takes 0.6-0.8 ms of these two cores per
            // report (docs/benchmarks.md), which the server it measures would otherwise have
            double rate = wrkReports(wrk, server, jdbcUrl, hosts, seconds);
            System.out.printf("reports, wrk, 16 connections: %.1f reports/s; ingest (wrk)/ceiling = %.2f%n", rate, rate / copy);
            // the two halves of that ratio were measured a minute apart, and this machine's speed moves on that scale
            rounds("ingest (wrk)/ceiling", seconds, "ceiling", part -> copyCeiling(jdbcUrl, part),
                    "wrk", part -> wrkReports(wrk, server, jdbcUrl, hosts, part), (ceiling, ingest) -> ingest / ceiling);
        }
        Result beats = closedLoop(server, hosts, 16, seconds, true);
        Result trivial = trivial(server, admin, 16, seconds);
        System.out.printf("heartbeats, 16 plain-socket clients: %.0f/s (p99 %.1f ms); trivial authenticated GET: %.0f/s; ratio %.2f%n",
                beats.rate(), beats.p(99), trivial.rate(), beats.rate() / trivial.rate());
        rounds("heartbeats/trivial", seconds, "heartbeats", part -> closedLoop(server, hosts, 16, part, true).rate(),
                "trivial GET", part -> trivial(server, admin, 16, part).rate(), (beating, get) -> beating / get);
        if (wrk != null && !wrk.isBlank()) {
            // the same two with wrk, a C load tool that leaves the server most of the machine
            Path file = Files.createTempFile("podfleet-hosts", ".txt");
            file.toFile().deleteOnExit();
            Files.write(file, hosts.stream().map(h -> h.hostId + " " + h.credential).toList());
            runWrk(wrk, server, "bench/heartbeats.lua", java.util.Map.of("HOSTS", file.toString()), 64, seconds);
            runWrk(wrk, server, "bench/trivial-pairs.lua", java.util.Map.of("TOKEN", admin), 64, seconds);
        }
        System.exit(0);
    }

    /** A rate measured over the given seconds. */
    public interface Rate {
        double over(int seconds) throws Exception;
    }

    /**
     * A ratio's two halves measured back to back, three times, a third of {@code seconds} each: this machine's speed
     * moves within a minute, so halves measured apart can give a ratio of two different machines. Prints each
     * round's rates and ratio ({@code ratio} of the first and second rate), then the three ratios and their median.
     */
    public static void rounds(String label, int seconds, String first, Rate firstRate, String second, Rate secondRate,
                              java.util.function.DoubleBinaryOperator ratio) throws Exception {
        int part = Math.max(5, seconds / 3);
        double[] ratios = new double[3];
        for (int round = 0; round < 3; round++) {
            double a = firstRate.over(part);
            double b = secondRate.over(part);
            ratios[round] = ratio.applyAsDouble(a, b);
            System.out.printf("  round %d of %d s each: %s %.1f/s, %s %.1f/s; ratio %.2f%n", round + 1, part, first, a, second, b,
                    ratios[round]);
        }
        double[] sorted = ratios.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("%s in alternating rounds: [%.2f, %.2f, %.2f]; median %.2f%n", label, ratios[0], ratios[1], ratios[2],
                sorted[1]);
    }

    /** Prints wrk's summary lines and returns them. */
    static List<String> runWrk(String wrk, URI server, String script, java.util.Map<String, String> env, int connections,
                               int seconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(wrk, "-t" + WRK_THREADS, "-c" + connections, "-d" + seconds + "s", "-s", script, server.toString())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("THREADS", Integer.toString(WRK_THREADS)); // bench/reports.lua shares the hosts among them
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        List<String> lines = out.lines().filter(l -> l.startsWith("wrk ")).toList();
        lines.forEach(System.out::println);
        if (lines.isEmpty()) {
            System.out.println("wrk " + script + " printed no summary: " + out.strip());
        }
        return lines;
    }

    /**
     * Full reports from wrk ({@code bench/reports.lua}), 16 connections as the Java client has: each host's next report
     * as the simulator makes it, sent again and again with a new report id and the current time. Returns reports/s as
     * wrk counted them, after checking in the database that each was stored (a receipt and 60 samples), not merely
     * answered.
     */
    static double wrkReports(String wrk, URI server, String jdbcUrl, List<SimulatedHost> hosts, int seconds) throws Exception {
        Path file = Files.createTempFile("podfleet-reports", ".txt");
        file.toFile().deleteOnExit();
        List<String> lines = new ArrayList<>();
        for (SimulatedHost h : hosts) {
            ObjectNode body = (ObjectNode) JSON.valueToTree(h.tick(0.25, 1.5));
            body.put("reportId", "@ID@");
            body.put("takenAt", "@AT@");
            lines.add(h.hostId + "\t" + h.credential + "\t" + JSON.writeValueAsString(body));
        }
        Files.write(file, lines);
        long receipts = count(jdbcUrl, "SELECT count(*) FROM report_receipt");
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> out = runWrk(wrk, server, "bench/reports.lua", java.util.Map.of("REPORTS", file.toString()), 16, seconds);
        String line = out.stream().filter(l -> l.startsWith("wrk reports: ")).findFirst().orElse(null);
        if (line == null) {
            return Double.NaN;
        }
        Matcher m = Pattern.compile("^wrk reports: ([0-9.]+)/s, ([0-9]+) sent").matcher(line);
        if (!m.find()) {
            return Double.NaN;
        }
        long answered = Long.parseLong(m.group(2));
        long stored;
        long samples;
        // one statement, one snapshot: a report still in flight commits its receipt and samples together, and
        // counting them in two statements could take its samples without its receipt
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var st = c.createStatement(); var rs = st.executeQuery("SELECT (SELECT count(*) FROM report_receipt),"
                     + " (SELECT count(*) FROM smart_sample WHERE taken_at >= '" + started + "' AND drive_id < " + CEILING_DRIVES + ")")) {
            rs.next();
            stored = rs.getLong(1) - receipts;
            samples = rs.getLong(2);
        }
        // wrk counts answered requests; the few in flight at its end are stored after it stops counting
        boolean whole = stored >= answered && samples == stored * 60;
        System.out.printf("wrk reports stored: %d receipts and %d drive samples for %d reports answered: %s%n", stored,
                samples, answered, whole ? "all stored" : "NOT ALL STORED, the rate below is not ingestion's");
        return Double.parseDouble(m.group(1));
    }

    private static long count(String jdbcUrl, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
             var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public record Result(long count, long errors, double seconds, long[] micros) {
        public double rate() {
            return count / seconds;
        }

        public double p(int percentile) {
            if (micros.length == 0) {
                return Double.NaN;
            }
            return micros[Math.min(micros.length - 1, (int) Math.ceil(percentile / 100.0 * micros.length) - 1)] / 1000.0;
        }
    }

    /** One request of a closed-loop client; returns the HTTP status. */
    public interface Call {
        int send(int client, long n) throws Exception;
    }

    /**
     * Each client owns every 16th host, so no two reports of one host overlap (as with real agents). Each client
     * thread keeps one keep-alive connection ({@link PlainHttp}): the JDK HttpClient cost the load a fifth of these
     * two cores, taken from the server it measures.
     */
    static Result closedLoop(URI server, List<SimulatedHost> hosts, int clients, int seconds, boolean heartbeats) throws Exception {
        return load(clients, seconds, (client, n) -> {
            SimulatedHost h = hosts.get((int) ((client + n * clients) % hosts.size()));
            return heartbeats
                    ? connection(server).send("POST", "/api/v1/agent/heartbeat", h.credential, JSON.writeValueAsBytes(h.heartbeat())).status()
                    : report(server, h);
        });
    }

    static Result trivial(URI server, String token, int clients, int seconds) throws Exception {
        return load(clients, seconds, (client, n) ->
                connection(server).send("GET", "/api/v1/hardware-profiles/backblaze-pod-6.0", token, new byte[0]).status());
    }

    private static final ThreadLocal<PlainHttp> CONNECTION = new ThreadLocal<>();

    /** This thread's connection to the server. */
    static PlainHttp connection(URI server) {
        PlainHttp c = CONNECTION.get();
        if (c == null) {
            c = new PlainHttp(server, "");
            CONNECTION.set(c);
        }
        return c;
    }

    public static Result load(int clients, int seconds, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.submit(() -> {
                for (long n = 0; System.nanoTime() < end; n++) {
                    long t0 = System.nanoTime();
                    try {
                        if (call.send(client, n) >= 300) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies.add((System.nanoTime() - t0) / 1000);
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60, TimeUnit.SECONDS);
        return result(latencies, errors, started);
    }

    static Result openLoop(URI server, List<SimulatedHost> hosts, int perSecond, int seconds) throws Exception {
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong n = new AtomicLong();
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> pool.submit(() -> {
            SimulatedHost h = hosts.get((int) (n.getAndIncrement() % hosts.size()));
            long t0 = System.nanoTime();
            try {
                synchronized (h) {
                    if (report(server, h) >= 300) {
                        errors.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
            latencies.add((System.nanoTime() - t0) / 1000);
        }), 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdownNow();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        return result(latencies, errors, started);
    }

    /** The ceiling's rows are of drives from this id up, which the server does not have. */
    private static final long CEILING_DRIVES = 1_000_000;

    /** The same rows a report writes, by COPY, one COPY and one commit per 60-row report, from one client. */
    static double copyCeiling(String jdbcUrl, int seconds) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long started = System.nanoTime();
            long reports = 0;
            while (System.nanoTime() < end) {
                StringBuilder rows = new StringBuilder(60 * 80);
                String now = Instant.now().toString();
                for (int d = 0; d < 60; d++) {
                    rows.append(CEILING_DRIVES + d).append(',').append(now).append(",HEALTHY,30,12000,0,0,3,0,0,,,,\n");
                }
                copy.copyIn("COPY smart_sample (drive_id, taken_at, verdict, temperature_c, power_on_hours, reallocated,"
                        + " reported_uncorrect, command_timeout, pending, offline_uncorrectable, nvme_media_errors,"
                        + " nvme_percentage_used, scsi_grown_defects, scsi_uncorrected) FROM STDIN (FORMAT csv)", new StringReader(rows.toString()));
                c.commit();
                reports++;
            }
            try (var st = c.createStatement()) {
                st.execute("DELETE FROM smart_sample WHERE drive_id >= " + CEILING_DRIVES);
            }
            c.commit();
            return reports / ((System.nanoTime() - started) / 1e9);
        }
    }

    /** Heartbeats every host, then forms a vault of each full group of 20; returns how many hosts are in vaults. */
    static int formVaults(URI server, String operator, List<SimulatedHost> hosts) throws Exception {
        for (SimulatedHost h : hosts) {
            connection(server).send("POST", "/api/v1/agent/heartbeat", h.credential, JSON.writeValueAsBytes(h.heartbeat()));
        }
        int placed = 0;
        for (int g = 0; (g + 1) * 20 <= hosts.size(); g++) {
            String ids = hosts.subList(g * 20, (g + 1) * 20).stream().map(h -> h.hostId).collect(java.util.stream.Collectors.joining(","));
            long until = System.nanoTime() + 20_000_000_000L;
            HttpResponse<String> formed;
            do { // heartbeats are written within a second and hosts judged HEALTHY by the next liveness pass
                Thread.sleep(500);
                formed = post(server, "/api/v1/vaults", operator, ("{\"hosts\":[" + ids + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } while (formed.statusCode() != 201 && System.nanoTime() < until);
            if (formed.statusCode() != 201) {
                throw new IllegalStateException("forming a vault of hosts " + ids + ": " + formed.body());
            }
            placed += 20;
        }
        return placed;
    }

    static int report(URI server, SimulatedHost h) throws Exception {
        HostReport report = h.tick(0.25, 1.5);
        return connection(server).send("POST", "/api/v1/agent/reports", h.credential, JSON.writeValueAsBytes(report)).status();
    }

    static HttpResponse<String> post(URI server, String path, String bearer, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static Result result(ConcurrentLinkedQueue<Long> latencies, AtomicLong errors, long started) {
        long[] micros = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(micros);
        return new Result(micros.length, errors.get(), (System.nanoTime() - started) / 1e9, micros);
    }
}
