package io.podfleet.admission;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Lease ids in the layout of RFC 9562's version 7: the millisecond first, then 74 random bits. Ids made close in time
 * sort close together, so new leases go to the right-hand edge of the primary key's index instead of a random page of
 * it: fewer pages dirtied per group, and fewer full-page images in the WAL after each checkpoint. The random part
 * keeps them unguessable (a lease is ended by its id).
 */
final class LeaseIds {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    LeaseIds(Clock clock) {
        this.clock = clock;
    }

    UUID next() {
        long millis = clock.millis();
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0fffL);
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
