package io.flinkjobrunner.service.deploy.kubernetes;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Kubernetes deploy configured, but the API server does not answer. */
public class KubernetesUnreachableProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "runner.deploy.kubernetes-enabled", "true",
                "runner.deploy.readiness-refresh", "1s",
                "runner.deploy.kafka.publish-timeout", "2s",
                "quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:1",
                "quarkus.kubernetes-client.request-retry-backoff-limit", "0",
                "quarkus.kubernetes-client.connection-timeout", "2s",
                "quarkus.kubernetes-client.request-timeout", "2s");
    }
}
