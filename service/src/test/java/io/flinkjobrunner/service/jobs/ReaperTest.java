package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.store.JobRepository;
import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.OtherReplicaJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs left RUNNING by a replica that is gone are taken over: queued again for another attempt (which runs here),
 * FAILED once every allowed attempt was lost, CANCELLED if cancellation was requested. A replica is gone when its
 * lease expired, or at once when its database session (and with it its liveness lock) ended; jobs of live replicas
 * and deploy jobs whose lease still runs are left alone.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ReaperTest {

    @Inject
    DataSource dataSource;
    @Inject
    JobExecutor executor;
    @Inject
    JobRepository repository;

    @Test
    void anExpiredLeaseQueuesTheJobAgainAndTheNextAttemptRunsItFromTheStart() throws Exception {
        insertRunning("reap-expired", "other-node/abc", 1, 0, "now() - interval '1 second'", false, null);

        executor.reapOrphans();

        JsonPath done = Jobs.awaitStatus("reap-expired", Duration.ofSeconds(30), "SUCCEEDED");
        assertEquals(2, done.getInt("attempt"));
        assertEquals(List.of("LOST", "SUCCEEDED"), done.getList("attempts.outcome"));
        assertEquals("other-node/abc", done.getString("attempts[0].replica"));
        assertTrue(done.getString("attempts[0].detail").contains("stopped renewing its lease"),
                done.getString("attempts[0].detail"));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"), done.getList("steps.status"));
        given().get("/jobs/reap-expired/logs").then()
                .body(containsString("Attempt 1 was lost: its replica other-node/abc stopped renewing its lease"))
                .body(containsString("job QUEUED (attempt 1): attempt 1 lost"))
                .body(containsString("Starting attempt 2 of job reap-expired"))
                .body(containsString("Job reap-expired finished successfully"));
    }

    @Test
    void aCancelledJobOfAGoneReplicaEndsCancelled() throws Exception {
        insertRunning("reap-cancelled", "other-node/abc", 1, 0, "now() - interval '1 second'", true, null);

        executor.reapOrphans();

        JsonPath cancelled = given().get("/jobs/reap-cancelled").then().extract().jsonPath();
        assertEquals("CANCELLED", cancelled.getString("status"));
        assertNull(cancelled.getString("lastError"));
        assertEquals(List.of("SUCCEEDED", "CANCELLED", "SKIPPED"), cancelled.getList("steps.status"));
        assertEquals(List.of("LOST"), cancelled.getList("attempts.outcome"));
    }

    @Test
    void theLastAllowedAttemptLostFailsTheJobWithItsHistory() throws Exception {
        insertRunning("reap-last", "node-c/3", 3, 2, "now() - interval '1 second'", false, null);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE job_attempts SET ended_at = now(), outcome = 'LOST', detail = ? WHERE job_id = 'reap-last' "
                        + "AND attempt = ?")) {
            for (int a = 1; a <= 2; a++) {
                ps.setString(1, "its replica node-" + a + "/x is gone (its database session ended)");
                ps.setInt(2, a);
                ps.executeUpdate();
            }
        }

        executor.reapOrphans();

        JsonPath failed = given().get("/jobs/reap-last").then().extract().jsonPath();
        assertEquals("FAILED", failed.getString("status"));
        String error = failed.getString("lastError");
        assertTrue(error.startsWith("gave up after 3 attempts, each lost with its replica: attempt 1: its replica "
                + "node-1/x is gone"), error);
        assertTrue(error.contains("attempt 3: its replica node-c/3 stopped renewing its lease"), error);
        assertTrue(error.endsWith("(runner.jobs.max-attempts=3)"), error);
        assertEquals(List.of("LOST", "LOST", "LOST"), failed.getList("attempts.outcome"));
        given().get("/jobs/reap-last/logs").then().body(containsString("Attempt 3 was lost"))
                .body(containsString("No attempt is left."));
    }

    @Test
    void aReplicaWhoseSessionEndedIsGoneAtOnceButNotForItsDeployJobs() throws Exception {
        registerReplica("dead-node/1", 424242, "now() - interval '1 minute'");
        insertRunning("reap-dead-owner", "dead-node/1", 1, 0, "now() + interval '1 hour'", false, null);
        insertRunning("reap-dead-deploy", "dead-node/1", 1, 0, "now() + interval '1 hour'", false,
                "reaper-test-lock");

        executor.reapOrphans();

        assertTrue(List.of("QUEUED", "RUNNING", "SUCCEEDED").contains(status("reap-dead-owner")));
        Jobs.awaitStatus("reap-dead-owner", Duration.ofSeconds(30), "SUCCEEDED");
        given().get("/jobs/reap-dead-owner/logs").then()
                .body(containsString("its replica dead-node/1 is gone (its database session ended)"));
        assertEquals("RUNNING", status("reap-dead-deploy"), "a deploy job waits for its lease: Kubernetes "
                + "changes cannot be fenced by the database");
        finish("reap-dead-deploy");
    }

    @Test
    void aLostDeployJobKeepsItsDeploymentWhileItIsRunAgainAndTheNextAttemptCompletesIt() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script("reap-deploy", new TestingTarget.Script(2, gate, null, 0));
        insertRunning("reap-deploy", "gone-node/1", 1, 0, "now() - interval '1 second'", false, "reaper-deploy");

        executor.reapOrphans();

        // the next attempt runs here and waits at its gate: the deployment stays with the job throughout, so no
        // other deploy or undeploy of it can start between the lost attempt and the one that completes it
        Await.until("attempt 2 at its gate", Duration.ofSeconds(30), () -> given().get("/jobs/reap-deploy/logs")
                .then().extract().asString().contains("waiting at the gate"), () -> status("reap-deploy"));
        assertEquals(Optional.of(Map.entry("reap-deploy", JobStatus.RUNNING)), holder("reaper-deploy"));
        gate.countDown();
        JsonPath done = Jobs.awaitStatus("reap-deploy", Duration.ofSeconds(30), "SUCCEEDED");
        assertEquals(List.of("LOST", "SUCCEEDED"), done.getList("attempts.outcome"));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"), done.getList("steps.status"));
        assertEquals(Optional.empty(), holder("reaper-deploy"), "released once the job has ended");
    }

    private Optional<Map.Entry<String, JobStatus>> holder(String deployment) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return repository.deploymentHolder(c, deployment);
        }
    }

    @Test
    void jobsOfLiveReplicasAreLeftAlone() throws Exception {
        insertRunning("reap-alive-lease", "other-node/def", 1, 0, "now() + interval '1 hour'", false, null);
        // a registered replica not seen for a while but still holding its lock: its session is alive (e.g. frozen)
        try (Connection lock = dataSource.getConnection()) {
            try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                ps.setInt(1, ReplicaLiveness.LOCK_CLASS);
                ps.setInt(2, 434343);
                ps.execute();
            }
            registerReplica("frozen-node/1", 434343, "now() - interval '1 minute'");
            insertRunning("reap-alive-lock", "frozen-node/1", 1, 0, "now() + interval '1 hour'", false, null);

            executor.reapOrphans();

            assertEquals("RUNNING", status("reap-alive-lease"));
            assertEquals("RUNNING", status("reap-alive-lock"));
            try (PreparedStatement ps = lock.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, ReplicaLiveness.LOCK_CLASS);
                ps.setInt(2, 434343);
                ps.execute();
            }
        }
        finish("reap-alive-lease");
        finish("reap-alive-lock");
    }

    private String status(String id) {
        return given().get("/jobs/" + id).then().statusCode(200).extract().path("status");
    }

    private void registerReplica(String owner, int lockKey, String seenExpr) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO replicas (owner, node_id, lock_key, started_at, seen_at) VALUES (?, ?, ?, now(), "
                        + seenExpr + ")")) {
            ps.setString(1, owner);
            ps.setString(2, owner.substring(0, owner.indexOf('/')));
            ps.setInt(3, lockKey);
            ps.executeUpdate();
        }
    }

    private void insertRunning(String id, String owner, int attempt, int lostAttempts, String leaseExpr,
                               boolean cancel, String deploymentLock) throws Exception {
        OtherReplicaJobs.insertRunning(dataSource, id, owner, attempt, lostAttempts, leaseExpr, cancel, deploymentLock);
    }

    private void finish(String id) throws Exception {
        OtherReplicaJobs.end(dataSource, id);
    }
}
