package io.podfleet.vault;

/**
 * Published when a re-assessment finds a vault that took writes no longer does (a CRITICAL tome, full, drained, a
 * member too many unavailable), for listeners after the commit: admission stops granting there at once on this
 * instance instead of when its list of writable vaults is next read.
 */
public record VaultStoppedWriting(int vaultId) {
}
