package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.logs.JobEventLog;
import io.flinkjobrunner.service.semantic.SemanticDataService;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.store.FencingToken;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.OtherReplicaJobs;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica that lost a job (another replica took it over, as after a freeze past the lease) stops it at once and
 * writes nothing more: every write carries the run's fencing token and the database refuses a stale one.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class FencingTest {

    private static final Duration LEASE = Duration.ofSeconds(15);

    @Inject
    DataSource dataSource;
    @Inject
    JobExecutor executor;
    @Inject
    JobRepository jobs;
    @Inject
    DeploymentRepository deployments;
    @Inject
    SemanticDataService semanticData;
    @Inject
    JobEventLog events;

    @Test
    void aRunWhoseJobWasTakenOverStopsAtOnceAndWritesNothingMore() throws Exception {
        String id = "fence-zombie";
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script(id, new TestingTarget.Script(2, gate, null, 0));
        Jobs.submit(Jobs.body(id, "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s"));
        awaitLog(id, "waiting at the gate");
        assertTrue(executor.runsHere(id));

        // another replica takes the job over: what its reaper and then its claim do to the row
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE jobs SET owner = 'replica-b/1', attempt = attempt + 1, "
                        + "lease_until = now() + interval '1 hour' WHERE id = ?")) {
            ps.setString(1, id);
            assertEquals(1, ps.executeUpdate());
        }
        Snapshot before = snapshot(id);

        // the heartbeat finds the lease no longer renewable: the run is interrupted and returns
        Await.until("the run stopped", Duration.ofSeconds(15), () -> !executor.runsHere(id), () -> "still running");
        gate.countDown();
        // were the run still going, it would now pass the gate, log, store result.txt and finish SUCCEEDED
        Thread.sleep(500);

        Snapshot after = snapshot(id);
        assertEquals(before, after, "nothing written after the takeover");
        assertEquals("RUNNING", after.status());
        assertEquals("replica-b/1", after.owner());
        assertEquals(0, after.artifacts());
        end(id);
    }

    @Test
    void everyWriteOfARunThatNoLongerOwnsItsJobIsRefusedByTheDatabase() throws Exception {
        String id = "fence-stale";
        OtherReplicaJobs.insertRunning(dataSource, id, "replica-b/1", 2, 0, "now() + interval '1 hour'", false, null);
        FencingToken stale = new FencingToken(id, "replica-a/1", 1, LEASE);
        FencingToken sameReplicaOlderAttempt = new FencingToken(id, "replica-b/1", 1, LEASE);
        FencingToken current = new FencingToken(id, "replica-b/1", 2, LEASE);
        byte[] content = "x".getBytes(StandardCharsets.UTF_8);

        for (FencingToken token : List.of(stale, sameReplicaOlderAttempt)) {
            OwnershipLostException artifact = assertThrows(OwnershipLostException.class,
                    () -> jobs.putArtifact(token, "a.txt", "text/plain", content, Instant.now()));
            assertTrue(artifact.getMessage().contains("attempt 2 by replica-b/1 runs it now"), artifact.getMessage());
            assertThrows(OwnershipLostException.class, () -> jobs.inputDownloaded(token, "knowledge", "http://x/k",
                    1, "0".repeat(64)));
            assertThrows(OwnershipLostException.class, () -> deployments.begin(token, "fence-dep", "local",
                    Optional.empty(), Optional.empty(), DeploymentStatus.DEPLOYING, Instant.now()));
            List<TopicRecord> published = new CopyOnWriteArrayList<>();
            assertThrows(OwnershipLostException.class, () -> semanticData.replace("fence-dep", List.of(rdf()),
                    Topics.defaults("fence-dep"), Set.of(), published::addAll, Optional.of(token)));
            assertEquals(List.of(), published, "nothing published");
            assertFalse(events.append(token, StatusEvents.log(null, "zombie line", Instant.now()))
                    .get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), jobs.artifacts(id));
        assertTrue(deployments.find("fence-dep").isEmpty());
        assertFalse(schemaExists("fjr_fence_dep"));
        given().get("/jobs/" + id + "/logs").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("zombie line")));

        // the run that holds the job writes as usual
        jobs.putArtifact(current, "a.txt", "text/plain", content, Instant.now());
        assertEquals(1, jobs.artifacts(id).size());
        assertTrue(events.append(current, StatusEvents.log(null, "current line", Instant.now()))
                .get(10, TimeUnit.SECONDS));
        given().get("/jobs/" + id + "/logs").then().body(containsString("current line"));
        end(id);
        // a job that ended refuses even its last owner
        assertThrows(OwnershipLostException.class,
                () -> jobs.putArtifact(current, "b.txt", "text/plain", content, Instant.now()));
    }

    private static SemanticTable rdf() {
        return new SemanticTable("rdf", List.of(new SemanticTable.Column("subject", "STRING"),
                new SemanticTable.Column("predicate", "STRING"), new SemanticTable.Column("object", "STRING"),
                new SemanticTable.Column("index", "INT")), List.of("subject", "predicate", "index"),
                List.of(List.of("s", "p", "o", 0)));
    }

    private boolean schemaExists(String schema) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    /** What a job's rows say: status, owner, event sequence, step states, artifacts. */
    private record Snapshot(String status, String owner, long lastSeq, List<String> steps, int artifacts) {
    }

    private Snapshot snapshot(String id) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            String status;
            String owner;
            long seq;
            try (PreparedStatement ps = c.prepareStatement("SELECT status, owner, last_seq FROM jobs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    status = rs.getString(1);
                    owner = rs.getString(2);
                    seq = rs.getLong(3);
                }
            }
            List<String> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM job_steps WHERE job_id = ? "
                    + "ORDER BY position")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(rs.getString(1));
                    }
                }
            }
            return new Snapshot(status, owner, seq, steps, jobs.artifacts(id).size());
        }
    }

    private void awaitLog(String id, String text) throws Exception {
        Await.until("job " + id + " logged '" + text + "'", Duration.ofSeconds(20),
                () -> given().get("/jobs/" + id + "/logs").then().extract().asString().contains(text),
                () -> given().get("/jobs/" + id).then().extract().path("status"));
    }

    private void end(String id) throws Exception {
        OtherReplicaJobs.end(dataSource, id);
    }
}
