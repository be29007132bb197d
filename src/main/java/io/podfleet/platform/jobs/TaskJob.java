package io.podfleet.platform.jobs;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.PersistJobDataAfterExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.quartz.QuartzJobBean;

import java.util.List;

/** The one Quartz job class: it runs the {@link ScheduledTask} bean its job data names. */
@DisallowConcurrentExecution
@PersistJobDataAfterExecution
class TaskJob extends QuartzJobBean {

    static final String TASK_KEY = "task";
    private static final Logger log = LoggerFactory.getLogger(TaskJob.class);

    private final List<ScheduledTask> tasks;

    TaskJob(List<ScheduledTask> tasks) {
        this.tasks = tasks;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) throws JobExecutionException {
        String name = context.getMergedJobDataMap().getString(TASK_KEY);
        ScheduledTask task = tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
        if (task == null) {
            log.warn("No task named '{}' on this instance; job left for an instance that has it", name);
            return;
        }
        long started = System.nanoTime();
        try {
            task.run(context.getScheduledFireTime().toInstant());
            log.debug("Task {} ran in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            log.error("Task {} failed; it runs again at its next fire time", name, e);
            throw new JobExecutionException(e, false);
        }
    }
}
