package io.podfleet.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param normalLimit         concurrent upload connections a vault admits after its burn-in
 * @param burnInLimit         concurrent upload connections during a vault's burn-in period
 * @param leaseTtl            how long a lease lives without being renewed
 * @param expiryCheckInterval how often expired leases are ended as abandoned
 * @param urlTemplate         the upload URL; placeholders {cluster}, {vault}, {pod}, {tome}, {host}, {domain},
 *                            with an optional zero-padded width such as {vault:07d}
 * @param domain              the domain in upload URLs
 * @param retryAfter          what a 503 "no tomes available" tells clients to wait
 * @param candidateCacheTtl   how long an instance reuses its list of writable vaults and their pods; the
 *                            database still checks writability and the limit on every grant
 * @param groupLinger         how long the instance's writer waits for more grants and ends after the first of a
 *                            group before writing it: fewer, larger groups cost the database less per grant
 * @param blockSize           spare connections per vault an instance reserves ahead of the asks and grants without a
 *                            database round trip (at most a quarter of the vault's limit; 0: every grant waits for
 *                            the database)
 * @param blockIdle           a block not drawn on for this long is given back
 */
@ConfigurationProperties("podfleet.admission")
public record AdmissionSettings(@DefaultValue("5000") int normalLimit,
                                @DefaultValue("2500") int burnInLimit,
                                @DefaultValue("10m") Duration leaseTtl,
                                @DefaultValue("30s") Duration expiryCheckInterval,
                                @DefaultValue("https://pod-{cluster:03d}-{vault}-{pod:02d}.{domain}/upload/c{cluster:03d}_v{vault:07d}_t{tome:04d}") String urlTemplate,
                                @DefaultValue("backup.example.com") String domain,
                                @DefaultValue("30s") Duration retryAfter,
                                @DefaultValue("1s") Duration candidateCacheTtl,
                                @DefaultValue("1ms") Duration groupLinger,
                                @DefaultValue("32") int blockSize,
                                @DefaultValue("5s") Duration blockIdle) {

    public AdmissionSettings {
        if (normalLimit < 0 || burnInLimit < 0) {
            throw new IllegalArgumentException("podfleet.admission.normal-limit and burn-in-limit must be 0 or more");
        }
        if (leaseTtl.isNegative() || leaseTtl.isZero()) {
            throw new IllegalArgumentException("podfleet.admission.lease-ttl must be positive");
        }
        if (groupLinger.isNegative() || groupLinger.compareTo(Duration.ofMillis(50)) > 0) {
            throw new IllegalArgumentException("podfleet.admission.group-linger must be between 0 and 50ms");
        }
        if (blockSize < 0 || blockSize > 10_000) {
            throw new IllegalArgumentException("podfleet.admission.block-size must be between 0 and 10000");
        }
        if (blockIdle.isNegative() || blockIdle.isZero()) {
            throw new IllegalArgumentException("podfleet.admission.block-idle must be positive");
        }
        UploadUrl.check(urlTemplate);
    }
}
