package io.podfleet.agent;

import io.podfleet.protocol.v1.DriveSample;
import io.podfleet.protocol.v1.EnrollRequest;
import io.podfleet.protocol.v1.Heartbeat;
import io.podfleet.protocol.v1.HostReport;
import io.podfleet.smart.DriveReading;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's cycle: a full report every {@code report-interval} (and at once when the set of drives changes), a
 * heartbeat every {@code heartbeat-interval}, and a sender that drains the spool. Every report is on disk before it is
 * sent. Stops cleanly on SIGTERM: the spool is consistent at every instant, so nothing needs flushing.
 */
public final class Agent implements AutoCloseable {

    static final String VERSION = Agent.class.getPackage().getImplementationVersion() == null
            ? "dev" : Agent.class.getPackage().getImplementationVersion();

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final AgentConfig config;
    private final String profileId;
    private final HostCollector host;
    private final DriveCollector drives;
    private final ShardCollector shards;
    private final SlotLocator slots;
    private final Object wake = new Object();
    private final AtomicLong heartbeatSequence = new AtomicLong();
    private volatile Set<String> lastDeviceSet = Set.of();
    private volatile boolean stopping;

    Agent(AgentConfig config) {
        this.config = config;
        this.host = new HostCollector(config.hostname());
        KnownProfiles profiles = new KnownProfiles();
        KnownProfiles.Profile profile = (config.profile() != null ? profiles.byId(config.profile())
                : profiles.detect(host.systemModel())).orElse(null);
        if (config.profile() != null && profile == null) {
            AgentLog.warn("profile '%s' is not one this agent knows; using smartctl's own device types", config.profile());
        }
        this.profileId = config.profile() != null ? config.profile() : profile == null ? null : profile.id();
        String deviceType = config.deviceType() != null ? config.deviceType() : profile == null ? null : profile.deviceType();
        List<String> args = config.smartctlArgs().isEmpty() && profile != null ? profile.smartctlArgs() : config.smartctlArgs();
        this.drives = new DriveCollector(new Smartctl(config.smartctl(), config.smartctlTimeout()), deviceType, args,
                config.smartctlParallelism());
        this.slots = new SlotLocator(config.sysfsRoot(), config.devRoot(), profile == null ? 0 : profile.firstSlot());
        this.shards = new ShardCollector(config::shardMountPoint);
    }

    /** One full report, collected now. */
    HostReport collect(String hostId) {
        DriveCollector.Collection c = drives.collect(slots);
        lastDeviceSet = deviceSet(c.drives());
        List<Integer> shardSlots = c.drives().stream().map(DriveSample::slot).filter(s -> s != null).distinct().sorted().toList();
        HostReport report = new HostReport(UUID.randomUUID(), hostId, Instant.now(), VERSION, profileId, host.collect(),
                c.drives(), shards.collect(shardSlots), c.stats());
        AgentLog.info("collected %d drives (%d read, %d in standby, %d timed out) in %d ms", c.stats().devicesScanned(),
                c.stats().devicesRead(), c.stats().devicesInStandby(), c.stats().devicesTimedOut(), c.stats().durationMillis());
        return report;
    }

    /** {@code agent --once --print}: collect and print, send nothing, keep nothing. */
    void printOnce(PrintStream out) {
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(collect(null)));
    }

    /** {@code agent --once}: collect one report, spool it, send what the spool holds; true when all was sent. */
    boolean runOnce() throws IOException {
        Spool spool = new Spool(config.spool(), config.spoolMaxBytes());
        Reporter reporter = reporter(spool);
        reporter.ensureEnrolled();
        spoolReport(spool, reporter);
        Reporter.Result result = reporter.drain();
        AgentLog.info("once: %s", result);
        return result instanceof Reporter.Result.Drained && spool.depth() == 0;
    }

    /** Runs until {@link #close()}. */
    void run() throws IOException, InterruptedException {
        Spool spool = new Spool(config.spool(), config.spoolMaxBytes());
        Reporter reporter = reporter(spool);
        AgentLog.info("podfleet agent %s for %s, profile %s, %d reports waiting in %s", VERSION, config.server(),
                profileId, spool.depth(), config.spool());
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "agent-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            timers.scheduleWithFixedDelay(() -> guarded("report", () -> spoolReport(spool, reporter)),
                    0, config.reportInterval().toMillis(), TimeUnit.MILLISECONDS);
            timers.scheduleAtFixedRate(() -> guarded("heartbeat", () -> heartbeat(spool, reporter)),
                    config.heartbeatInterval().toMillis(), config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            while (!stopping) {
                Reporter.Result result = reporter.drain();
                long waitMillis = result instanceof Reporter.Result.Paused p ? p.delay().toMillis() : Long.MAX_VALUE;
                if (result instanceof Reporter.Result.Paused p) {
                    AgentLog.info("sending paused for %d ms: %s", waitMillis, p.why());
                }
                synchronized (wake) {
                    if (!stopping && spool.depth() == 0 || result instanceof Reporter.Result.Paused) {
                        wake.wait(Math.max(1, Math.min(waitMillis, config.reportInterval().toMillis())));
                    }
                }
            }
        } finally {
            timers.shutdownNow();
            timers.awaitTermination(config.smartctlTimeout().toSeconds() + 5, TimeUnit.SECONDS);
        }
    }

    private void spoolReport(Spool spool, Reporter reporter) throws IOException {
        HostReport report = collect(reporter.credential().map(Credential::hostId).orElse(null));
        spool.put(report.reportId(), JSON.writeValueAsBytes(report));
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void heartbeat(Spool spool, Reporter reporter) throws IOException {
        if (!lastDeviceSet.isEmpty() && !drives.scan().stream().map(DriveReading.Device::name)
                .collect(java.util.stream.Collectors.toSet()).equals(lastDeviceSet)) {
            AgentLog.info("the set of drives changed: collecting a full report now");
            spoolReport(spool, reporter);
        }
        String hostId = reporter.credential().map(Credential::hostId).orElse(null);
        Heartbeat beat = new Heartbeat(hostId, heartbeatSequence.incrementAndGet(), Instant.now(), host.uptimeSeconds(),
                host.load1(), VERSION, spool.depth(), spool.dropped());
        ServerClient.Outcome outcome = reporter.heartbeat(JSON.writeValueAsBytes(beat));
        AgentLog.fine("heartbeat %d: %s", beat.sequence(), outcome.getClass().getSimpleName());
    }

    private Reporter reporter(Spool spool) throws IOException {
        if (config.server() == null) {
            throw new IllegalArgumentException("server: no server URL configured (--server URL)");
        }
        EnrollRequest as = new EnrollRequest(null, host.hostname(), host.systemSerial(), profileId, VERSION);
        return new Reporter(new ServerClient(config.server(), config.caFile(), config.requestTimeout()), spool,
                config.credentialFile(), config.enrollmentToken(), as);
    }

    private static Set<String> deviceSet(List<DriveSample> samples) {
        Set<String> names = new HashSet<>();
        samples.forEach(s -> names.add(s.reading().device() == null ? "?" : s.reading().device().name()));
        return names;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void guarded(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            if (!stopping) {
                AgentLog.warn("%s failed: %s", what, e);
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        drives.close();
    }
}
