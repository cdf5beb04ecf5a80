package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.config.DeployConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness of Kubernetes deploy, answered from a cache: a background task asks the API server every
 * {@code runner.deploy.readiness-refresh} (reachable, and one SelfSubjectAccessReview per permission deploy needs), so
 * the probe itself answers in microseconds whatever the API server's latency.
 *
 * <p>DOWN only when the service account lacks a permission: an installation error that no retry fixes. An API server
 * that does not answer leaves the replica ready (with the outage in the check's data): build, plan, validate, simulate
 * and the job API need no cluster, and a readiness failure would take the replica out of its Service for them too.
 * Deploy targets then fail with the API error. Without Kubernetes deploy (the local engine) the check is UP.
 */
@Readiness
@ApplicationScoped
public class KubernetesReadinessCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(KubernetesReadinessCheck.class);

    /** One background answer. */
    private record Snapshot(Instant at, List<Check> checks) {
    }

    private final DeployConfig config;
    private final Instance<KubernetesClient> client;
    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<Snapshot> last = new AtomicReference<>();

    @Inject
    KubernetesReadinessCheck(DeployConfig config, Instance<KubernetesClient> client) {
        this.config = config;
        this.client = client;
    }

    /** Asks the API server; runs in the background, never on a probe's thread. */
    @Scheduled(every = "${runner.deploy.readiness-refresh:30s}", concurrentExecution = ConcurrentExecution.SKIP)
    void refresh() {
        if (!config.kubernetesEnabled()) {
            return;
        }
        List<Check> checks;
        try {
            checks = new ClusterAccess(client.get()).reachableAndPermitted(config.namespace());
        } catch (RuntimeException e) {
            checks = List.of(new Check("API server", false, "check failed: " + e.getMessage()));
        }
        Snapshot previous = last.getAndSet(new Snapshot(clock.instant(), checks));
        boolean wasOk = previous == null || previous.checks().stream().allMatch(Check::ok);
        boolean ok = checks.stream().allMatch(Check::ok);
        if (wasOk != ok) {
            LOG.infof("Kubernetes deploy readiness: %s", ok ? "every check passes"
                    : checks.stream().filter(c -> !c.ok()).findFirst().orElseThrow());
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kubernetes-deploy");
        if (!config.kubernetesEnabled()) {
            return response.up().withData("mode", "local engine (runner.deploy.kubernetes-enabled=false)").build();
        }
        response.withData("namespace", config.namespace());
        Snapshot snapshot = last.get();
        if (snapshot == null) {
            return response.up().withData("kubernetes", "first check running in the background").build();
        }
        response.withData("checkedSecondsAgo", Duration.between(snapshot.at(), clock.instant()).toSeconds());
        List<Check> failed = snapshot.checks().stream().filter(c -> !c.ok()).toList();
        if (failed.isEmpty()) {
            return response.up().withData("permissions", snapshot.checks().size() - 1 + " granted").build();
        }
        Check first = failed.get(0);
        if (first.name().equals("API server")) {
            return response.up().withData("kubernetes", first + "; deploy targets fail until it answers, the other "
                    + "targets work").build();
        }
        return response.down().withData("reason", first.toString()).withData("failed", failed.size()).build();
    }
}
