package io.podfleet.platform.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * A periodic job. Declare a Spring bean implementing this in the package that owns the work, with its
 * {@link #interval()} read from that package's settings record; {@link ScheduledTasks} turns every such bean into a
 * clustered Quartz job that fires on exactly one server instance at a time.
 *
 * <p>Runs must be idempotent: after downtime, or when two instances disagree about the clock, a run may start late
 * or cover a period another run already covered. Do the work in terms of the data ("every partition older than X"),
 * never in terms of "since the last run".
 */
public interface ScheduledTask {

    /** A stable name: the Quartz job key. Renaming it leaves the old job behind in the database. */
    String name();

    /** Time between runs. */
    Duration interval();

    /** Does one run. Exceptions are logged and the next run happens on schedule. */
    void run(Instant firedAt) throws Exception;
}
