package io.podfleet.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Valid bearer credentials seen in the last {@code podfleet.security.credential-cache-ttl} (default 5 s), by hash:
 * looking a token up in the database was a third of the server's work on small requests (heartbeats, upload
 * leases). A revocation clears this instance's cache when it commits; other instances honour it within the TTL.
 * Unknown tokens are never cached, so guessing cannot fill it; it holds at most {@value #MAX_ENTRIES} entries.
 */
@Component
public class CredentialCache {

    private static final int MAX_ENTRIES = 50_000;

    private record Entry(BearerCredentials.Result.Valid result, long expiresNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    CredentialCache(@Value("${podfleet.security.credential-cache-ttl:5s}") Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    Optional<BearerCredentials.Result.Valid> get(String hash) {
        Entry e = entries.get(hash);
        if (e == null) {
            return Optional.empty();
        }
        if (System.nanoTime() - e.expiresNanos() > 0) {
            entries.remove(hash, e);
            return Optional.empty();
        }
        return Optional.of(e.result());
    }

    void put(String hash, BearerCredentials.Result.Valid result) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear(); // rare: more live credentials than entries; start over rather than track recency
        }
        entries.put(hash, new Entry(result, System.nanoTime() + ttlNanos));
    }

    /** Forgets every cached credential once the current transaction commits (at once without one). */
    public void clearAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    entries.clear();
                }
            });
        } else {
            entries.clear();
        }
    }
}
