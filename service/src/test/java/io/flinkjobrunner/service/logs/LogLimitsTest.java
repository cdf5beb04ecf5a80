package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.SseClient;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log size cap with a visible marker, cut long lines, and the idle heartbeat, with small limits. */
@QuarkusTest
@TestProfile(LogLimitsTest.SmallLimits.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class LogLimitsTest {

    /** Small limits so the test runs fast. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runner.logs.max-bytes", "4000", "runner.logs.max-line-length", "100",
                    "runner.logs.heartbeat", "200ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void capsTheLogWithAVisibleMarkerAndStillReportsTheEnd() {
        TestingTarget.script("limits-cap", new TestingTarget.Script(500, null, null, 0, "x".repeat(300)));
        Jobs.submit(Jobs.body("limits-cap", "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        Jobs.awaitStatus("limits-cap", Duration.ofSeconds(30), "SUCCEEDED");
        String log = given().get("/jobs/limits-cap/logs").asString();
        assertTrue(log.contains("[log truncated: the limit of 4000 bytes per job was reached; later lines are dropped]"));
        assertEquals(1, log.split("log truncated", -1).length - 1);
        assertFalse(log.contains("line 500"));
        assertTrue(log.contains("job SUCCEEDED"), "status events are kept after the cap");
        assertTrue(log.length() < 9000, "log stays near the cap: " + log.length());
    }

    @Test
    void cutsOverlongLines() {
        TestingTarget.script("limits-line", new TestingTarget.Script(0, null, null, 0, "y".repeat(300)));
        Jobs.submit(Jobs.body("limits-line", "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        Jobs.awaitStatus("limits-line", Duration.ofSeconds(30), "SUCCEEDED");
        String log = given().get("/jobs/limits-line/logs").asString();
        assertTrue(log.contains("WARN " + "y".repeat(95)));
        assertTrue(log.contains(" … [line cut at 100 characters]"));
        assertFalse(log.contains("y".repeat(101)));
    }

    @Test
    void sendsHeartbeatCommentsWithoutIdWhileIdle() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script("limits-beat", new TestingTarget.Script(1, gate, null, 0));
        Jobs.submit(Jobs.body("limits-beat", "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        Future<List<SseClient.Frame>> frames = Executors.newSingleThreadExecutor().submit(() -> SseClient.read(
                URI.create(base + "jobs/limits-beat/logs"), null, Integer.MAX_VALUE, Duration.ofSeconds(30)));
        Jobs.awaitStatus("limits-beat", Duration.ofSeconds(20), "RUNNING");
        Thread.sleep(1500);
        gate.countDown();
        List<SseClient.Frame> all = frames.get();
        List<SseClient.Frame> beats = all.stream().filter(SseClient.Frame::comment).toList();
        assertTrue(beats.size() >= 2, "heartbeats while waiting at the gate: " + beats.size());
        beats.forEach(b -> assertNull(b.id()));
        assertEquals("done", all.get(all.size() - 1).event());
    }
}
