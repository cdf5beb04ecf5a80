package io.flinkjobrunner.service.deploy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkjobrunner.service.deploy.PreflightReport.Check;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only if deploy could work: with Kubernetes deploy configured, the API server answers and the service account
 * holds every permission deploy needs in the default namespace (SelfSubjectAccessReviews). Without Kubernetes deploy
 * (the local engine) the check is UP and says so.
 */
@Readiness
@ApplicationScoped
public class KubernetesReadinessCheck implements HealthCheck {

    private final DeployConfig config;
    private final Instance<KubernetesClient> client;

    @Inject
    KubernetesReadinessCheck(DeployConfig config, Instance<KubernetesClient> client) {
        this.config = config;
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kubernetes-deploy");
        if (!config.kubernetesEnabled()) {
            return response.up().withData("mode", "local engine (runner.deploy.kubernetes-enabled=false)").build();
        }
        List<Check> failed = new ArrayList<>();
        ClusterAccess access = new ClusterAccess(client.get());
        List<Check> checks = access.reachableAndPermitted(config.namespace());
        checks.stream().filter(c -> !c.ok()).forEach(failed::add);
        response.withData("namespace", config.namespace());
        if (failed.isEmpty()) {
            return response.up().withData("permissions", checks.size() - 1 + " granted").build();
        }
        return response.down().withData("reason", failed.get(0).toString())
                .withData("failed", failed.size()).build();
    }
}
