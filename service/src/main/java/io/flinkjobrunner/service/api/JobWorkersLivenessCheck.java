package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.JobExecutor;
import io.flinkjobrunner.service.jobs.JobNotificationListener;
import io.flinkjobrunner.service.logs.JobEventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.Optional;

/**
 * Live while the job worker pool can do its work. DOWN when it cannot recover by itself (workers keep dying, a dead
 * worker could not be replaced, the heartbeat stopped, the thread that records every job event or the one that
 * receives the other replicas' notifications died): Kubernetes then restarts the pod rather than leaving it
 * accepting jobs it will never run. A worker that dies once is replaced and reported here as data only.
 */
@Liveness
@ApplicationScoped
public class JobWorkersLivenessCheck implements HealthCheck {

    @Inject
    JobExecutor executor;
    @Inject
    RunnerConfig config;
    @Inject
    JobEventLog events;
    @Inject
    JobNotificationListener notifications;

    @Override
    public HealthCheckResponse call() {
        Optional<String> broken = executor.unrecoverable();
        if (broken.isEmpty() && !events.alive()) {
            broken = Optional.of("the job event writer died: no job of this replica can record its progress");
        }
        if (broken.isEmpty() && !notifications.alive()) {
            broken = Optional.of("the database notification listener died: claims and cross-replica logs stall");
        }
        var response = HealthCheckResponse.named("job-workers")
                .withData("workers", executor.aliveWorkers())
                .withData("configured", Math.max(1, config.jobs().concurrency()));
        return broken.map(reason -> response.down().withData("reason", reason).build())
                .orElseGet(() -> response.up().build());
    }
}
