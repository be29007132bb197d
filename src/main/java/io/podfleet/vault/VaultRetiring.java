package io.podfleet.vault;

/**
 * Published inside the transaction that retires a vault, before anything changes: a listener that throws stops the
 * retirement (admission refuses while uploads still hold leases on the vault; the vault package knows no leases).
 */
public record VaultRetiring(int vaultId) {
}
