package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Errors end jobs, not workers: any {@link Throwable} of a step (an {@link OutOfMemoryError} included) ends its job
 * FAILED with a reason and the worker runs the next job. A worker killed by an error its error handling cannot survive
 * is replaced, its job is taken over once its lease expires, and a pool whose workers keep dying reports liveness DOWN,
 * so Kubernetes restarts the pod. Short lease and heartbeat so the takeovers happen within the test.
 */
@QuarkusTest
@TestProfile(WorkerFailureTest.ShortLease.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerFailureTest {

    /** Lease 2 s, heartbeat 250 ms, two attempts per job, two workers. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runner.jobs.lease", "2s", "runner.jobs.heartbeat", "250ms",
                    "runner.jobs.max-attempts", "2", "runner.jobs.concurrency", "2");
        }
    }

    /** An error whose message and text fail too: what the error handling meets when memory is exhausted. */
    static final class Poison extends Error {
        Poison() {
            super(null, null, false, false);
        }

        @Override
        public String getMessage() {
            throw new Poison();
        }

        @Override
        public String toString() {
            throw new Poison();
        }
    }

    private static final String K = "http://127.0.0.1:9/k";
    private static final String S = "http://127.0.0.1:9/s";

    @Inject
    JobExecutor executor;

    @Test
    @Order(1)
    void anOutOfMemoryErrorFailsItsJobWithTheInputSizesAndTheWorkerRunsTheNextJob() {
        for (int i = 1; i <= 3; i++) {
            TestingTarget.script("oom-" + i, new TestingTarget.Script(1, null, null, 0, null,
                    Map.of("knowledge", 52_428_800L, "shacl", 2_048L), new OutOfMemoryError("Java heap space")));
            Jobs.submit(Jobs.body("oom-" + i, "testing", K, S));
        }
        for (int i = 1; i <= 3; i++) {
            JsonPath failed = Jobs.awaitStatus("oom-" + i, Duration.ofSeconds(30), "FAILED");
            String error = failed.getString("lastError");
            assertTrue(error.startsWith("out of memory in step produce (Java heap space; the service's heap limit is "),
                    error);
            assertTrue(error.contains("inputs: knowledge 50.0 MiB, shacl 2.0 KiB"), error);
            assertEquals("FAILED", failed.getString("steps[2].status"));
        }
        TestingTarget.script("after-oom", new TestingTarget.Script(1, null, null, 0));
        Jobs.submit(Jobs.body("after-oom", "testing", K, S));
        Jobs.awaitStatus("after-oom", Duration.ofSeconds(30), "SUCCEEDED");
        assertEquals(2, executor.aliveWorkers());
        given().get("/q/health/live").then().statusCode(200).body("checks.find { it.name == 'job-workers' }.status",
                equalTo("UP"));
    }

    @Test
    @Order(2)
    void aWorkerKilledByItsJobIsReplacedAndTheJobFailsAfterItsAttempts() throws Exception {
        TestingTarget.script("poison-1", new TestingTarget.Script(1, null, null, 0, null, Map.of(), new Poison()));
        Jobs.submit(Jobs.body("poison-1", "testing", K, S));
        JsonPath failed = Jobs.awaitStatus("poison-1", Duration.ofSeconds(60), "FAILED");
        String error = failed.getString("lastError");
        assertTrue(error.startsWith("gave up after 2 attempts"), error);
        assertTrue(error.contains("stopped renewing its lease"), error);
        awaitWorkers(2);
        TestingTarget.script("after-poison", new TestingTarget.Script(1, null, null, 0));
        Jobs.submit(Jobs.body("after-poison", "testing", K, S));
        Jobs.awaitStatus("after-poison", Duration.ofSeconds(30), "SUCCEEDED");
        // two workers died so far: replaced, the pool is still considered healthy
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    @Order(3)
    void aPoolWhoseWorkersKeepDyingIsNotLive() throws Exception {
        TestingTarget.script("poison-2", new TestingTarget.Script(1, null, null, 0, null, Map.of(), new Poison()));
        Jobs.submit(Jobs.body("poison-2", "testing", K, S));
        Await.until("the pool is reported unrecoverable", Duration.ofSeconds(30),
                () -> executor.unrecoverable().isPresent(), () -> executor.aliveWorkers() + " workers alive");
        assertTrue(executor.unrecoverable().orElse("").contains("job workers died within 10 minutes"),
                executor.unrecoverable().toString());
        given().get("/q/health/live").then().statusCode(503)
                .body("checks.find { it.name == 'job-workers' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'job-workers' }.data.reason",
                        org.hamcrest.Matchers.containsString("job workers died"));
        Jobs.awaitStatus("poison-2", Duration.ofSeconds(60), "FAILED");
    }

    private void awaitWorkers(int n) {
        Await.until(n + " workers alive", Duration.ofSeconds(10), () -> executor.aliveWorkers() == n,
                () -> executor.aliveWorkers() + " alive");
    }
}
