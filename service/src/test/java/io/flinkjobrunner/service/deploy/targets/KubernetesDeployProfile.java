package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.testing.TestingUnitBuild;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/**
 * The service with Kubernetes deploy enabled against the test cluster, short deadlines, the test kubeconfig, a state
 * directory (so upgrades and undeploy take savepoints), readiness refreshed every second, and the scenario build
 * ({@link TestingUnitBuild}).
 */
public class KubernetesDeployProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestingUnitBuild.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", TestingKubernetes.apiServerUrl(),
                "runner.deploy.flink.state-dir", "s3://flink-state/fjr",
                "runner.deploy.readiness-refresh", "1s",
                "runner.deploy.kubernetes-enabled", "true",
                "runner.deploy.namespace", TestingKubernetes.NAMESPACE,
                "runner.deploy.deadline", "30s",
                "runner.deploy.kafka.publish-timeout", "20s",
                "runner.deploy.kubeconfig", TestingKubernetes.kubeconfig().toString(),
                "runner.jobs.concurrency", "4");
    }
}
