package io.flinkjobrunner.service.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.InputServer;
import io.flinkjobrunner.service.testing.Jobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scenario whose Flink job fails (here: runs past its time) fails the simulate job with the engine's reason. */
@QuarkusTest
@TestProfile(SimulateTimeoutTest.ShortScenarios.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class SimulateTimeoutTest {

    /** Scenario jobs may run 100 ms: no Flink job finishes that fast. */
    public static class ShortScenarios implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runner.local.scenarios.timeout", "PT0.1S");
        }
    }

    private static final Path TEST1 = Path.of("../compiler/src/test/resources/kms/kms-constraints/test1");

    @Inject
    EmbeddedEngine embedded;

    @Test
    void aScenarioPastItsTimeFailsTheJobNamingTheLimit() throws Exception {
        try (InputServer inputs = new InputServer()) {
            for (String file : new String[] {"knowledge.ttl", "shacl.ttl", "model1.jsonld"}) {
                inputs.put("/" + file, Files.readString(TEST1.resolve(file)));
            }
            Jobs.submit("{\"jobId\":\"sim-timeout\",\"target\":\"simulate\",\"urls\":{\"knowledge\":\""
                    + inputs.url("/knowledge.ttl") + "\",\"shacl\":\"" + inputs.url("/shacl.ttl") + "\",\"model\":\""
                    + inputs.url("/model1.jsonld") + "\"}}");
            JsonPath job = Jobs.awaitStatus("sim-timeout", Duration.ofMinutes(4), "SUCCEEDED", "FAILED", "CANCELLED");

            assertEquals("FAILED", job.getString("status"), job.prettify());
            String lastError = job.getString("lastError");
            assertTrue(lastError.startsWith("the simulation failed: the Flink job "), lastError);
            assertTrue(lastError.contains("did not finish within PT0.1S and was cancelled"), lastError);
            assertTrue(lastError.endsWith("; runner.local.scenarios.timeout sets how long a scenario may run"),
                    lastError);
            assertEquals("FAILED", job.getString("steps.find { it.name == 'simulate' }.status"));
            assertTrue(embedded.started().orElseThrow().topicNames().stream()
                    .noneMatch(topic -> topic.contains("sim-timeout")), "the failed scenario's topics are gone");
        }
    }
}
