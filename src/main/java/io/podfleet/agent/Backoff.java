package io.podfleet.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter (a random delay between half and all of the ceiling), so a fleet that lost the server together does not come back together.
 * A server's {@code Retry-After} wins over the computed delay.
 */
final class Backoff {

    private final Duration base;
    private final Duration max;
    private int failures;

    Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    Duration next(Optional<Duration> retryAfter) {
        failures = Math.min(failures + 1, 30);
        if (retryAfter.isPresent()) {
            return retryAfter.get().compareTo(max) > 0 ? max : retryAfter.get();
        }
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    void reset() {
        failures = 0;
    }
}
