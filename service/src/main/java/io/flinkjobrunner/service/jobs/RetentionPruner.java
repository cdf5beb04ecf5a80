package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.problems.ApiProblemException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/** Deletes terminal jobs older than {@code runner.jobs.retention}, with their logs, artifacts and workspaces. */
@ApplicationScoped
public class RetentionPruner {

    private static final Logger LOG = Logger.getLogger(RetentionPruner.class);

    @Inject
    RunnerConfig config;
    @Inject
    JobService service;
    @Inject
    io.flinkjobrunner.service.store.JobRepository jobs;

    @Scheduled(every = "${runner.jobs.retention-check:1h}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        prune(Instant.now());
    }

    /** Deletes the terminal jobs that ended before {@code now - retention}; returns how many. */
    public int prune(Instant now) {
        Instant cutoff = now.minus(config.jobs().retention());
        int deleted = 0;
        List<String> ids;
        do {
            ids = jobs.terminalEndedBefore(cutoff, 100);
            for (String id : ids) {
                try {
                    service.delete(id);
                    deleted++;
                } catch (ApiProblemException e) {
                    // deleted or changed concurrently (another replica prunes too)
                }
            }
        } while (ids.size() == 100);
        if (deleted > 0) {
            LOG.infof("retention: deleted %d jobs that ended before %s", deleted, cutoff);
        }
        return deleted;
    }
}
