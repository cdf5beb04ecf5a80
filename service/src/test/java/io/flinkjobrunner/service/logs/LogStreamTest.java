package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.SseClient;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class LogStreamTest {

    private static final String K = "http://127.0.0.1:9/k.ttl";
    private static final String S = "http://127.0.0.1:9/s.ttl";

    @TestHTTPResource("/")
    URL base;
    @Inject
    LogHub hub;

    @Test
    void concurrentSubscribersEachSeeEveryEventOnceInOrder() throws Exception {
        String id = "sse-fanout-1";
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script(id, new TestingTarget.Script(200, gate, null, 2));
        Jobs.submit(Jobs.body(id, "testing", K, S));
        URI uri = URI.create(base + "jobs/" + id + "/logs");
        int before = hub.subscribers();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<List<SseClient.Frame>>> subs = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String last = switch (i % 4) {
                case 1 -> "5";
                case 2 -> "40";
                default -> null;
            };
            starts.add(last == null ? 0L : Long.parseLong(last));
            subs.add(pool.submit(() -> SseClient.read(uri, last, Integer.MAX_VALUE, Duration.ofSeconds(60))));
            // one at a time, so that they join at different points of the job's first lines
            int subscribed = before + i + 1;
            Await.until("subscriber " + subscribed + " is registered", Duration.ofSeconds(30),
                    () -> hub.subscribers() >= subscribed, hub::subscribers);
        }
        Jobs.awaitStatus(id, Duration.ofSeconds(30), "RUNNING");
        // the job waits at the gate until every subscriber is on the stream: the rest reaches them live
        gate.countDown();
        long lastSeq = -1;
        for (int i = 0; i < subs.size(); i++) {
            List<SseClient.Frame> frames = subs.get(i).get();
            List<Long> ids = new ArrayList<>();
            for (SseClient.Frame f : frames) {
                if (f.id() != null) {
                    ids.add(Long.parseLong(f.id()));
                }
            }
            long first = starts.get(i) + 1;
            for (int k = 0; k < ids.size(); k++) {
                assertEquals(first + k, ids.get(k), "subscriber " + i + " gap or duplicate at position " + k);
            }
            SseClient.Frame done = frames.get(frames.size() - 1);
            assertEquals("done", done.event(), "subscriber " + i + " ends with done");
            assertNull(done.id(), "control frames carry no id");
            assertEquals("{\"status\":\"SUCCEEDED\"}", done.data());
            long subscriberLast = ids.get(ids.size() - 1);
            if (lastSeq >= 0) {
                assertEquals(lastSeq, subscriberLast, "all subscribers end at the same event");
            }
            lastSeq = subscriberLast;
            assertTrue(frames.stream().anyMatch(f -> "log".equals(f.event()) && f.data().endsWith("[emit] line 200")));
        }
        pool.shutdown();
        // a subscriber after the end gets the whole replay and done
        List<SseClient.Frame> replay = SseClient.read(uri, null, Integer.MAX_VALUE, Duration.ofSeconds(20));
        assertEquals(lastSeq, replay.stream().filter(f -> f.id() != null).count());
        // the fan-out is observable: every subscription replayed from the database, the writer's commits are timed
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metric(metrics, "fjr_sse_catchups_total{source=\"database\"") >= 13, metrics);
        assertTrue(metric(metrics, "fjr_events_commit_seconds_count") >= 1, metrics);
        assertTrue(metrics.contains("fjr_sse_subscribers "), metrics);
        assertTrue(metrics.contains("fjr_sse_slow_pauses_total "), metrics);
        assertTrue(metric(metrics, "fjr_sse_live_lag_seconds_count") >= 1, "live deliveries are timed: " + metrics);
    }

    private static double metric(String exposition, String prefix) {
        return exposition.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1.0);
    }

    @Test
    void resumesExactlyAfterLastEventIdWithoutGapOrDuplicate() throws Exception {
        String id = "sse-resume-1";
        TestingTarget.script(id, new TestingTarget.Script(30, null, null, 0));
        Jobs.submit(Jobs.body(id, "testing", K, S));
        Jobs.awaitStatus(id, Duration.ofSeconds(20), "SUCCEEDED");
        URI uri = URI.create(base + "jobs/" + id + "/logs");
        List<SseClient.Frame> firstTen = SseClient.read(uri, null, 10, Duration.ofSeconds(20));
        List<SseClient.Frame> ten = firstTen.stream().filter(f -> f.id() != null).toList();
        assertEquals(10, ten.size());
        assertEquals("10", ten.get(9).id());
        List<SseClient.Frame> rest = SseClient.read(uri, "10", Integer.MAX_VALUE, Duration.ofSeconds(20));
        assertEquals("11", rest.get(0).id());
        List<SseClient.Frame> viaQuery = SseClient.read(URI.create(uri + "?after=10"), null, Integer.MAX_VALUE,
                Duration.ofSeconds(20));
        assertEquals(rest, viaQuery);
        Set<String> seen = new HashSet<>();
        for (SseClient.Frame f : ten) {
            seen.add(f.id());
        }
        for (SseClient.Frame f : rest) {
            if (f.id() != null) {
                assertTrue(seen.add(f.id()), "duplicate " + f.id());
            }
        }
        assertEquals("status", ten.get(0).event());
        assertTrue(ten.get(0).data().contains("\"status\":\"QUEUED\""));
        // the plain-text log holds the same lines as the event stream
        String plain = given().get("/jobs/" + id + "/logs").asString();
        assertTrue(plain.contains("[emit] line 30"));
        assertTrue(plain.contains("[job] job SUCCEEDED"));
    }

    @Test
    void resumingAfterTheEndOnlySendsDone() throws Exception {
        String id = "sse-end-1";
        Jobs.submit(Jobs.body(id, "testing", K, S));
        Jobs.awaitStatus(id, Duration.ofSeconds(20), "SUCCEEDED");
        URI uri = URI.create(base + "jobs/" + id + "/logs");
        List<SseClient.Frame> all = SseClient.read(uri, null, Integer.MAX_VALUE, Duration.ofSeconds(20));
        String last = all.stream().filter(f -> f.id() != null).reduce((a, b) -> b).orElseThrow().id();
        List<SseClient.Frame> after = SseClient.read(uri, last, Integer.MAX_VALUE, Duration.ofSeconds(20));
        assertEquals(1, after.stream().filter(f -> !f.comment()).count());
        assertEquals("done", after.get(after.size() - 1).event());
    }
}
