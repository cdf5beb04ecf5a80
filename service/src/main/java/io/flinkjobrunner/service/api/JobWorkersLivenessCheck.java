package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.config.RunnerConfig;
import io.flinkjobrunner.service.jobs.JobExecutor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.Optional;

/**
 * Live while the job worker pool can do its work. DOWN when it cannot recover by itself (workers keep dying, a dead
 * worker could not be replaced, the heartbeat stopped): Kubernetes then restarts the pod rather than leaving it
 * accepting jobs it will never run. A worker that dies once is replaced and reported here as data only.
 */
@Liveness
@ApplicationScoped
public class JobWorkersLivenessCheck implements HealthCheck {

    @Inject
    JobExecutor executor;
    @Inject
    RunnerConfig config;

    @Override
    public HealthCheckResponse call() {
        Optional<String> broken = executor.unrecoverable();
        var response = HealthCheckResponse.named("job-workers")
                .withData("workers", executor.aliveWorkers())
                .withData("configured", Math.max(1, config.jobs().concurrency()));
        return broken.map(reason -> response.down().withData("reason", reason).build())
                .orElseGet(() -> response.up().build());
    }
}
