package io.podfleet.fleet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param profilesDir            an extra folder of hardware profile files, read after the shipped ones; optional
 * @param staleAfter             heartbeat silence after which a host is STALE
 * @param deadAfter              heartbeat silence after which a host is DEAD; longer than staleAfter
 * @param livenessCheckInterval  how often host health is recomputed
 * @param missingGrace           how long a drive may be absent from its host's reports before it counts as FAILED
 * @param maxReportSize          largest report body accepted (413 beyond)
 * @param maxEnrollmentTokenTtl  longest life an enrollment token may be given
 * @param reportClockSkew        how far a report's takenAt may be in the future
 * @param reportMaxAge           how old a report may be when it arrives (older ones are refused: 400)
 * @param smartRetention         how long SMART samples are kept (whole months are dropped past it)
 * @param retentionCheckInterval how often old months are dropped and the coming month is created
 * @param latestReadingRefresh   how stale a drive's stored full reading may get when its verdict does not change
 * @param heartbeatFlushInterval how often received heartbeats are written (the newest per host, in one statement)
 * @param reportConcurrency      how many agent reports are read and stored at once (0: the number of cores plus one);
 *                               the others wait in line ({@link ReportGate})
 * @param reportQueueWait        how long a report waits for its turn before the agent hears 503 and Retry-After;
 *                               shorter than the agents' request timeout (30 s by default)
 */
@ConfigurationProperties("podfleet.fleet")
public record FleetSettings(Path profilesDir,
                            @DefaultValue("5m") Duration staleAfter,
                            @DefaultValue("10m") Duration deadAfter,
                            @DefaultValue("30s") Duration livenessCheckInterval,
                            @DefaultValue("1h") Duration missingGrace,
                            @DefaultValue("8MB") DataSize maxReportSize,
                            @DefaultValue("30d") Duration maxEnrollmentTokenTtl,
                            @DefaultValue("10m") Duration reportClockSkew,
                            @DefaultValue("30d") Duration reportMaxAge,
                            @DefaultValue("400d") Duration smartRetention,
                            @DefaultValue("6h") Duration retentionCheckInterval,
                            @DefaultValue("1h") Duration latestReadingRefresh,
                            @DefaultValue("1s") Duration heartbeatFlushInterval,
                            @DefaultValue("0") int reportConcurrency,
                            @DefaultValue("10s") Duration reportQueueWait) {

    public FleetSettings {
        if (reportConcurrency < 0) {
            throw new IllegalArgumentException("podfleet.fleet.report-concurrency must be 0 (the number of cores + 1) or more");
        }
        if (reportConcurrency == 0) {
            // one more than the cores: while one report waits for its commit's flush, the others keep the cores busy
            reportConcurrency = Runtime.getRuntime().availableProcessors() + 1;
        }
        if (!staleAfter.minus(deadAfter).isNegative()) {
            throw new IllegalArgumentException("podfleet.fleet.stale-after (" + staleAfter
                    + ") must be shorter than podfleet.fleet.dead-after (" + deadAfter + ")");
        }
    }
}
