package io.podfleet.platform.jobs;

import org.quartz.Scheduler;
import org.quartz.SchedulerMetaData;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The {@code scheduler} health component: up when this instance's Quartz scheduler runs, clustered, on the JDBC
 * store. A scheduler in standby or shut down means this instance runs no jobs.
 */
@Component("scheduler")
class SchedulerHealth extends AbstractHealthIndicator {

    private final Scheduler scheduler;

    SchedulerHealth(Scheduler scheduler) {
        super("Scheduler health check failed");
        this.scheduler = scheduler;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        SchedulerMetaData meta = scheduler.getMetaData();
        boolean running = meta.isStarted() && !meta.isInStandbyMode() && !meta.isShutdown();
        (running ? builder.up() : builder.down())
                .withDetail("instanceId", meta.getSchedulerInstanceId())
                .withDetail("clustered", meta.isJobStoreClustered())
                .withDetail("persistent", meta.isJobStoreSupportsPersistence())
                .withDetail("jobsExecuted", meta.getNumberOfJobsExecuted());
    }
}
