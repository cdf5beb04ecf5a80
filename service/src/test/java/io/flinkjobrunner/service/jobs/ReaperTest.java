package io.flinkjobrunner.service.jobs;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Jobs left RUNNING by a dead replica (or by this node's previous process) end in a defined state. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ReaperTest {

    @Inject
    DataSource dataSource;
    @Inject
    JobExecutor executor;
    @Inject
    NodeIdentity node;

    @Test
    void reapsPreviousIncarnationAndExpiredLeasesButNotLiveReplicas() throws Exception {
        insertRunning("reap-own-old", node.nodeId() + "/previous-process", "now() + interval '1 hour'", false);
        insertRunning("reap-expired", "other-node/abc", "now() - interval '1 second'", false);
        insertRunning("reap-cancelled", "other-node/abc", "now() - interval '1 second'", true);
        insertRunning("reap-alive", "other-node/def", "now() + interval '1 hour'", false);

        executor.reapOrphans();

        JsonPath own = given().get("/jobs/reap-own-old").then().statusCode(200).extract().jsonPath();
        assertEquals("FAILED", own.getString("status"));
        assertEquals("interrupted by restart", own.getString("lastError"));
        assertEquals(List.of("FAILED", "SKIPPED"), own.getList("steps.status"));
        JsonPath expired = given().get("/jobs/reap-expired").then().extract().jsonPath();
        assertEquals("FAILED", expired.getString("status"));
        assertEquals("interrupted by restart", expired.getString("lastError"));
        JsonPath cancelled = given().get("/jobs/reap-cancelled").then().extract().jsonPath();
        assertEquals("CANCELLED", cancelled.getString("status"));
        assertNull(cancelled.getString("lastError"));
        assertEquals("RUNNING", given().get("/jobs/reap-alive").then().extract().path("status"));
        given().get("/jobs/reap-own-old/logs").then()
                .body(containsString("job interrupted: the replica running it stopped"))
                .body(containsString("job FAILED: interrupted by restart"));
    }

    private void insertRunning(String id, String owner, String leaseExpr, boolean cancel) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, target, status, request_mac, context, "
                    + "created_at, updated_at, started_at, owner, lease_until, cancel_requested) VALUES (?, 'testing', "
                    + "'RUNNING', 'mac', '{\"deployment\":\"shacl\"}', now(), now(), now(), ?, " + leaseExpr + ", ?)")) {
                ps.setString(1, id);
                ps.setString(2, owner);
                ps.setBoolean(3, cancel);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_steps (job_id, position, name, status, "
                    + "started_at) VALUES (?, 0, 'emit', 'RUNNING', now()), (?, 1, 'gate', 'PENDING', NULL)")) {
                ps.setString(1, id);
                ps.setString(2, id);
                ps.executeUpdate();
            }
        }
    }
}
