package io.podfleet.simulate;

import io.podfleet.protocol.v1.EnrollRequest;
import io.podfleet.protocol.v1.EnrollResponse;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A simulated fleet over real HTTP. With an operator's API token it pre-registers every host (datacenter, cabinet,
 * rack unit: one host per cabinet in each group of 20, so vaults can be formed), asks for an enrollment token per
 * host, enrolls, then sends heartbeats and reports on the agent's schedule divided by {@code speedup}.
 */
public final class Simulator implements AutoCloseable {

    /** What to simulate. Intervals are simulated time; {@code speedup} divides them into real time. */
    public record Settings(URI server, String token, int hosts, int drives, Duration reportInterval,
                           Duration heartbeatInterval, double afrPercent, double speedup, String[] datacenters,
                           String profileId, String prefix, long seed) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timers;
    private final List<SimulatedHost> hosts = new ArrayList<>();
    private final Consumer<String> log;
    final AtomicLong reportsSent = new AtomicLong();
    final AtomicLong reportsFailed = new AtomicLong();
    final AtomicLong heartbeatsSent = new AtomicLong();

    public Simulator(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.timers = Executors.newScheduledThreadPool(Math.max(2, Math.min(8, settings.hosts() / 10)), r -> {
            Thread t = new Thread(r, "simulator");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers and enrolls every host, then starts their schedules. Returns once all are enrolled. */
    public void start() throws IOException, InterruptedException {
        enroll();
        long reportMillis = Math.max(200, (long) (settings.reportInterval().toMillis() / settings.speedup()));
        long heartbeatMillis = Math.max(1000, (long) (settings.heartbeatInterval().toMillis() / settings.speedup()));
        double simulatedHours = settings.reportInterval().toMillis() / 3_600_000.0;
        for (int i = 0; i < hosts.size(); i++) {
            SimulatedHost host = hosts.get(i);
            long offset = reportMillis * i / hosts.size(); // spread the fleet over the interval
            timers.scheduleAtFixedRate(() -> report(host, simulatedHours), offset, reportMillis, TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(() -> heartbeat(host), offset, heartbeatMillis, TimeUnit.MILLISECONDS);
        }
        timers.scheduleAtFixedRate(this::summary, 60, 60, TimeUnit.SECONDS);
        log.accept(String.format("simulating %d hosts x %d drives: a report every %d ms, a heartbeat every %d ms per host",
                hosts.size(), settings.drives(), reportMillis, heartbeatMillis));
    }

    /** Registers and enrolls every host without starting schedules (tests drive them with reportAll, heartbeatAll). */
    public void enroll() throws IOException, InterruptedException {
        for (int i = hosts.size(); i < settings.hosts(); i++) {
            SimulatedHost host = new SimulatedHost(i, settings.drives(), settings.prefix(), settings.datacenters(),
                    settings.profileId(), settings.seed());
            enrollHost(host);
            hosts.add(host);
        }
    }

    /** One report from every host, now, one after the other; throws if the server refuses one. */
    public void reportAll() throws IOException, InterruptedException {
        double simulatedHours = settings.reportInterval().toMillis() / 3_600_000.0;
        for (SimulatedHost host : hosts) {
            HttpResponse<String> r = post("/api/v1/agent/reports", host.credential, host.tick(simulatedHours, settings.afrPercent()));
            if (r.statusCode() != 200) {
                throw new IOException("report of " + host.hostname + ": HTTP " + r.statusCode() + " " + r.body());
            }
            reportsSent.incrementAndGet();
        }
    }

    /** One heartbeat from every host, now. */
    public void heartbeatAll() throws IOException, InterruptedException {
        for (SimulatedHost host : hosts) {
            post("/api/v1/agent/heartbeat", host.credential, host.heartbeat());
            heartbeatsSent.incrementAndGet();
        }
    }

    /** Makes the drive in {@code slot} of host {@code index} fail SMART from its next report on, and stay failed. */
    public void failDrive(int index, int slot) {
        hosts.get(index).failDrive(slot);
    }

    /** The agent credential of host {@code index}, once enrolled (tests speak the agent protocol with it). */
    public String credential(int index) {
        return hosts.get(index).credential;
    }

    /** The server's id of host {@code index}, once enrolled. */
    public long hostId(int index) {
        return Long.parseLong(hosts.get(index).hostId);
    }

    /** Registers and enrolls one host (used by start, and by the ingestion benchmark). */
    void enrollHost(SimulatedHost host) throws IOException, InterruptedException {
        Map<String, Object> registration = new java.util.HashMap<>();
        registration.put("hostname", host.hostname);
        registration.put("systemSerial", host.systemSerial);
        registration.put("profileId", host.profileId);
        registration.put("datacenter", host.datacenter);
        registration.put("cabinet", host.cabinet);
        registration.put("rackUnit", host.rackUnit);
        HttpResponse<String> registered = post("/api/v1/hosts", settings.token(), registration);
        if (registered.statusCode() != 201 && registered.statusCode() != 409) {
            throw new IOException("registering " + host.hostname + ": HTTP " + registered.statusCode() + " " + registered.body());
        }
        HttpResponse<String> token = post("/api/v1/enrollment-tokens", settings.token(), Map.of("hostname", host.hostname));
        if (token.statusCode() != 201) {
            throw new IOException("enrollment token for " + host.hostname + ": HTTP " + token.statusCode() + " " + token.body());
        }
        String secret = JSON.readTree(token.body()).path("token").asString();
        HttpResponse<String> enrolled = post("/api/v1/agent/enroll", null,
                new EnrollRequest(secret, host.hostname, host.systemSerial, host.profileId, "simulator"));
        if (enrolled.statusCode() != 201) {
            throw new IOException("enrolling " + host.hostname + ": HTTP " + enrolled.statusCode() + " " + enrolled.body());
        }
        EnrollResponse response = JSON.readValue(enrolled.body(), EnrollResponse.class);
        host.hostId = response.hostId();
        host.credential = response.credential();
    }

    private void report(SimulatedHost host, double simulatedHours) {
        try {
            HttpResponse<String> r = post("/api/v1/agent/reports", host.credential, host.tick(simulatedHours, settings.afrPercent()));
            (r.statusCode() == 200 ? reportsSent : reportsFailed).incrementAndGet();
        } catch (Exception e) {
            reportsFailed.incrementAndGet();
        }
    }

    private void heartbeat(SimulatedHost host) {
        try {
            post("/api/v1/agent/heartbeat", host.credential, host.heartbeat());
            heartbeatsSent.incrementAndGet();
        } catch (Exception ignored) {
            // the next heartbeat says the same
        }
    }

    private void summary() {
        int failures = hosts.stream().mapToInt(h -> h.failuresStarted).sum();
        int replaced = hosts.stream().mapToInt(h -> h.replacements).sum();
        log.accept(String.format("simulator: %d reports sent (%d failed), %d heartbeats, %d drives failing so far, %d replaced",
                reportsSent.get(), reportsFailed.get(), heartbeatsSent.get(), failures, replaced));
    }

    private HttpResponse<String> post(String path, String bearer, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.server().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    Settings settings() {
        return settings;
    }

    /** For the demo and tests: how many hosts were enrolled. */
    public int hostCount() {
        return hosts.size();
    }
}
