package io.flinkjobrunner.service.logs;

import io.flinkjobrunner.service.jobs.RetentionPruner;
import io.flinkjobrunner.service.store.EventStore;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;
import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What another replica does, simulated on the shared database: its committed events reach this replica's
 * subscribers through LISTEN/NOTIFY; old terminal jobs are pruned by retention.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class CrossReplicaTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    DataSource dataSource;
    @Inject
    RetentionPruner pruner;
    @Inject
    LogHub hub;

    @Test
    void eventsCommittedByAnotherReplicaReachLocalSubscribers() throws Exception {
        String id = "remote-1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO jobs (id, target, status, request_mac, context, created_at, updated_at, started_at, "
                        + "owner, lease_until) VALUES (?, 'testing', 'RUNNING', 'mac', '{\"deployment\":\"shacl\"}', "
                        + "now(), now(), now(), 'replica-b/1', now() + interval '1 hour')")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        append(id, new NewEvent(StoredEvent.Kind.LOG, Instant.now(), "emit", "before the subscriber"));
        int before = hub.subscribers();
        Future<List<SseClient.Frame>> stream = Executors.newSingleThreadExecutor().submit(() -> SseClient.read(
                URI.create(base + "jobs/" + id + "/logs"), null, Integer.MAX_VALUE, Duration.ofSeconds(30)));
        Await.until("the subscriber is registered", Duration.ofSeconds(30), () -> hub.subscribers() > before,
                hub::subscribers);
        for (int i = 1; i <= 50; i++) {
            append(id, new NewEvent(StoredEvent.Kind.LOG, Instant.now(), "emit", "remote line " + i));
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE jobs SET status = 'SUCCEEDED', ended_at = now() WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        append(id, new NewEvent(StoredEvent.Kind.STATUS, Instant.now(), null,
                "{\"jobId\":\"remote-1\",\"status\":\"SUCCEEDED\",\"at\":\"" + Instant.now() + "\"}"));
        // a heartbeat (a comment frame, every 15 s) may fall into the read: only events count
        List<SseClient.Frame> frames = stream.get().stream().filter(f -> !f.comment())
                .toList();
        List<String> ids = frames.stream().filter(f -> f.id() != null).map(SseClient.Frame::id).toList();
        assertEquals(52, ids.size(), frames.toString());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(Integer.toString(i + 1), ids.get(i));
        }
        assertTrue(frames.get(50).data().endsWith("[emit] remote line 50"));
        assertEquals("done", frames.get(frames.size() - 1).event());
    }

    @Test
    void retentionDeletesOnlyOldTerminalJobs() {
        Jobs.submit(Jobs.body("retention-1", "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        Jobs.awaitStatus("retention-1", Duration.ofSeconds(20), "SUCCEEDED");
        pruner.prune(Instant.now());
        given().get("/jobs/retention-1").then().statusCode(200);
        int deleted = pruner.prune(Instant.now().plus(Duration.ofDays(31)));
        assertTrue(deleted >= 1);
        given().get("/jobs/retention-1").then().statusCode(404);
    }

    private void append(String id, NewEvent e) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            EventStore.append(c, id, List.of(e), 1 << 24, "replica-b/1");
            c.commit();
        }
    }
}
