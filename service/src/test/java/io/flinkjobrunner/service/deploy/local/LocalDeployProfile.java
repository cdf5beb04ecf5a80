package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.service.testing.TestingUnitBuild;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The service on its embedded default (Kubernetes deploy off, so deploy goes to the local engine) with the scenario
 * build ({@link TestingUnitBuild}), a fresh engine data directory and one offline JSON-LD context
 * ({@value #MAPPED_CONTEXT}).
 */
public class LocalDeployProfile implements QuarkusTestProfile {

    /** A remote context URL mapped to a local file through {@code runner.ngsild.contexts}. */
    static final String MAPPED_CONTEXT = "https://example.org/mapped-context.jsonld";

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestingUnitBuild.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path context = Files.createTempFile("fjr-mapped-context", ".jsonld");
            Files.writeString(context, "{\"@context\": {\"base\": \"https://industry-fusion.org/base/v0.1/\"}}");
            return Map.of(
                    "runner.ngsild.contexts.\"" + MAPPED_CONTEXT + "\"", context.toString(),
                    "runner.local.data-dir", Files.createTempDirectory("fjr-local-engine").toString(),
                    "runner.local.alerts.retained-bytes", "4000",
                    "runner.deploy.deadline", "5m",
                    "runner.jobs.concurrency", "2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
