package io.podfleet.vault;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * @param dataShards       default data shards of a new vault
 * @param parityShards     default parity shards of a new vault (width = data + parity hosts)
 * @param fullThreshold    utilization (0..1) at which a vault becomes FULL and stops taking writes
 * @param fullHysteresis   how far under the threshold utilization must fall for a FULL vault to be ACTIVE again
 * @param burnIn           how long a new vault stays in BURN_IN
 * @param reassessInterval how often every vault is re-assessed from scratch (changes re-assess their vault at once;
 *                         this catches time-based steps such as the end of burn-in)
 * @param firstVaultId     the id given to the first vault created without one
 */
@ConfigurationProperties("podfleet.vault")
public record VaultSettings(@DefaultValue("17") int dataShards,
                            @DefaultValue("3") int parityShards,
                            @DefaultValue("0.95") double fullThreshold,
                            @DefaultValue("0.05") double fullHysteresis,
                            @DefaultValue("7d") Duration burnIn,
                            @DefaultValue("1m") Duration reassessInterval,
                            @DefaultValue("1000") int firstVaultId) {

    public VaultSettings {
        if (dataShards < 1 || parityShards < 1) {
            throw new IllegalArgumentException("podfleet.vault.data-shards and parity-shards must be at least 1");
        }
        if (fullThreshold <= 0 || fullThreshold > 1) {
            throw new IllegalArgumentException("podfleet.vault.full-threshold must be in (0, 1], got " + fullThreshold);
        }
        if (fullHysteresis < 0 || fullHysteresis >= fullThreshold) {
            throw new IllegalArgumentException("podfleet.vault.full-hysteresis must be in [0, full-threshold), got " + fullHysteresis);
        }
        if (firstVaultId < 1 || firstVaultId > 9999) {
            throw new IllegalArgumentException("podfleet.vault.first-vault-id must be a 4-digit vault id, got " + firstVaultId);
        }
    }
}
