package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.store.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;

/** Ready when the job database answers. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    @Inject
    JobRepository jobs;

    @Override
    public HealthCheckResponse call() {
        try (Connection c = jobs.connection()) {
            return HealthCheckResponse.named("job-database").status(c.isValid(2)).build();
        } catch (SQLException e) {
            return HealthCheckResponse.named("job-database").down().withData("error", "not reachable").build();
        }
    }
}
