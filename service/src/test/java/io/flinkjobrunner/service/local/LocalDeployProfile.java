package io.flinkjobrunner.service.local;

import io.flinkjobrunner.service.testing.TestingUnitBuild;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/**
 * The service on its embedded default (Kubernetes deploy off, so deploy goes to the local engine) with the scenario
 * build ({@link TestingUnitBuild}) and a fresh engine data directory.
 */
public class LocalDeployProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestingUnitBuild.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            return Map.of(
                    "runner.local.data-dir", Files.createTempDirectory("fjr-local-engine").toString(),
                    "runner.local.alerts.retained-bytes", "600",
                    "runner.deploy.deadline", "5m",
                    "runner.jobs.concurrency", "2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
