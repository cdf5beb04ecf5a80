package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.TestingTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class JobApiTest {

    private static final String K = "http://127.0.0.1:9/knowledge.ttl";
    private static final String S = "http://127.0.0.1:9/shacl.ttl";

    @Inject
    DataSource dataSource;

    @Test
    void runsJobThroughAllStepsAndReportsIt() {
        Response r = given().contentType("application/json").body(Jobs.body("api-run-1", "testing", K, S))
                .post("/jobs");
        r.then().statusCode(202)
                .header("Location", endsWith("/jobs/api-run-1"))
                .body("jobId", equalTo("api-run-1"))
                .body("status", equalTo("QUEUED"));
        JsonPath job = Jobs.awaitStatus("api-run-1", Duration.ofSeconds(20), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", job.getString("status"));
        assertEquals("testing", job.getString("target"));
        assertEquals(List.of("emit", "gate", "produce"), job.getList("steps.name"));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED"), job.getList("steps.status"));
        assertTrue(job.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        assertTrue(job.getString("steps[0].startedAt").endsWith("Z"));
        assertEquals("shacl", job.getString("context.deployment"));

        given().get("/jobs/api-run-1/logs").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("[emit] line 1"))
                .body(containsString("[emit] line 3"))
                .body(containsString("[job] Job api-run-1 finished successfully. All 3 steps completed."));
        given().get("/jobs/api-run-1/artifacts").then().statusCode(200)
                .body("artifacts.name", hasItem("result.txt"));
        given().get("/jobs/api-run-1/artifacts/result.txt").then().statusCode(200)
                .contentType(containsString("text/plain")).body(equalTo("done api-run-1"));
        given().get("/jobs/api-run-1/artifacts/nope.txt").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/artifact-not-found"));
        given().get("/jobs?status=succeeded").then().statusCode(200).body("jobs.jobId", hasItem("api-run-1"));
    }

    @Test
    void anArtifactLargerThanOneReadIsServedWholeInOrder() throws Exception {
        given().contentType("application/json").body(Jobs.body("api-big-1", "testing", K, S)).post("/jobs")
                .then().statusCode(202);
        assertEquals("SUCCEEDED", Jobs.awaitStatus("api-big-1", Duration.ofSeconds(20), "SUCCEEDED", "FAILED")
                .getString("status"));
        // 2.5 store reads (JobRepository reads 1 MiB per query), every byte value at every offset modulo 251
        byte[] content = new byte[(1 << 21) + (1 << 19) + 7];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 251);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_artifacts (job_id, name, media_type, content, bytes, sha256, created_at) "
                        + "VALUES ('api-big-1', 'big.bin', 'application/octet-stream', ?, ?, 'x', now())")) {
            ps.setBytes(1, content);
            ps.setLong(2, content.length);
            ps.executeUpdate();
        }
        byte[] served = given().get("/jobs/api-big-1/artifacts/big.bin").then().statusCode(200)
                .contentType(containsString("application/octet-stream")).extract().asByteArray();
        assertArrayEquals(content, served);
    }

    @Test
    void failingStepFailsTheJobWithItsMessage() {
        TestingTarget.script("api-fail-1", new TestingTarget.Script(1, null, "the shapes are wrong", 0));
        Jobs.submit(Jobs.body("api-fail-1", "testing", K, S));
        JsonPath job = Jobs.awaitStatus("api-fail-1", Duration.ofSeconds(20), "SUCCEEDED", "FAILED");
        assertEquals("FAILED", job.getString("status"));
        assertEquals("the shapes are wrong", job.getString("lastError"));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "FAILED"), job.getList("steps.status"));
    }

    @Test
    void generatesUuidWhenJobIdIsAbsent() {
        String id = given().contentType("application/json")
                .body("{\"target\":\"testing\",\"urls\":{\"knowledge\":\"" + K + "\",\"shacl\":\"" + S + "\"}}")
                .post("/jobs").then().statusCode(202).extract().path("jobId");
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
    }

    @Test
    void sameIdAndBodyReturnsTheExistingJobAndDifferentBodyConflicts() {
        String body = Jobs.body("api-idem-1", "testing", K, S);
        Jobs.submit(body);
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(200)
                .body("jobId", equalTo("api-idem-1"));
        given().contentType("application/json").body(Jobs.body("api-idem-1", "testing", K, S + "?v=2"))
                .post("/jobs").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/job-id-conflict"));
    }

    @Test
    void cancelsQueuedAndRunningJobsAndRefusesTerminalOnes() {
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script("api-cancel-run", new TestingTarget.Script(1, gate, null, 0));
        TestingTarget.script("api-cancel-block", new TestingTarget.Script(1, gate, null, 0));
        Jobs.submit(Jobs.body("api-cancel-run", "testing", K, S));
        Jobs.submit(Jobs.body("api-cancel-block", "testing", K, S));
        Jobs.awaitStatus("api-cancel-run", Duration.ofSeconds(20), "RUNNING");
        Jobs.awaitStatus("api-cancel-block", Duration.ofSeconds(20), "RUNNING");
        // both workers are busy: this one waits in QUEUED
        Jobs.submit(Jobs.body("api-cancel-queued", "testing", K, S));
        given().post("/jobs/api-cancel-queued/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        JsonPath queued = Jobs.awaitStatus("api-cancel-queued", Duration.ofSeconds(5), "CANCELLED");
        assertEquals(List.of("SKIPPED", "SKIPPED", "SKIPPED"), queued.getList("steps.status"));

        given().post("/jobs/api-cancel-run/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        JsonPath run = Jobs.awaitStatus("api-cancel-run", Duration.ofSeconds(5), "CANCELLED");
        assertEquals(List.of("SUCCEEDED", "CANCELLED", "SKIPPED"), run.getList("steps.status"));
        assertEquals(null, run.getString("lastError"));
        given().get("/jobs/api-cancel-run/logs").then().body(containsString("Job canceled by request."));

        given().post("/jobs/api-cancel-run/cancel").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/job-already-terminal"));
        gate.countDown();
        Jobs.awaitStatus("api-cancel-block", Duration.ofSeconds(20), "SUCCEEDED");
        given().post("/jobs/no-such-job/cancel").then().statusCode(404)
                .body("type", equalTo("https://flinkjobrunner.io/problems/job-not-found"));
    }

    @Test
    void deletesTerminalJobWithLogArtifactsAndWorkspace() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        TestingTarget.script("api-del-1", new TestingTarget.Script(2, gate, null, 0));
        Jobs.submit(Jobs.body("api-del-1", "testing", K, S));
        Jobs.awaitStatus("api-del-1", Duration.ofSeconds(20), "RUNNING");
        // the workspace exists while the job runs
        awaitFile(EmbeddedPostgresResource.workDir().resolve("jobs/api-del-1/attempt-1/scratch.txt"));
        given().delete("/jobs/api-del-1").then().statusCode(409)
                .body("type", equalTo("https://flinkjobrunner.io/problems/job-not-terminal"));
        gate.countDown();
        Jobs.awaitStatus("api-del-1", Duration.ofSeconds(20), "SUCCEEDED");
        given().delete("/jobs/api-del-1").then().statusCode(204);
        given().get("/jobs/api-del-1").then().statusCode(404);
        given().get("/jobs/api-del-1/logs").then().statusCode(404).contentType("application/problem+json");
        assertFalse(Files.exists(EmbeddedPostgresResource.workDir().resolve("jobs/api-del-1")));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM job_events WHERE job_id = 'api-del-1') "
                     + "+ (SELECT count(*) FROM job_artifacts WHERE job_id = 'api-del-1')")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
        given().delete("/jobs/api-del-1").then().statusCode(404);
    }

    @Test
    void neverStoresShowsOrLogsPresignedQueryStringsOrCredentials() throws Exception {
        String signed = "http://user:pw@127.0.0.1:9/k.ttl?X-Amz-Signature=deadbeefsecret&X-Amz-Credential=AKIAX";
        Jobs.submit(Jobs.body("api-secret-1", "testing", signed, S + "?token=hunter2"));
        JsonPath job = Jobs.awaitStatus("api-secret-1", Duration.ofSeconds(20), "SUCCEEDED");
        assertEquals("http://REDACTED@127.0.0.1:9/k.ttl?REDACTED", job.getString("inputs.find { it.name == 'knowledge' }.url"));
        String all = job.prettify() + given().get("/jobs/api-secret-1/logs").asString()
                + given().header("Accept", "text/event-stream").get("/jobs/api-secret-1/logs").asString()
                + given().get("/jobs").asString();
        for (String secret : List.of("deadbeefsecret", "AKIAX", "hunter2", "user:pw")) {
            assertFalse(all.contains(secret), secret + " leaked: " + all);
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(string_agg(t::text, ' '), '') FROM ("
                     + "SELECT j::text AS t FROM jobs j UNION ALL SELECT e::text FROM job_events e "
                     + "UNION ALL SELECT i::text FROM job_inputs i) x")) {
            rs.next();
            String dump = rs.getString(1);
            for (String secret : List.of("deadbeefsecret", "AKIAX", "hunter2", "user:pw")) {
                assertFalse(dump.contains(secret), secret + " stored in clear text");
            }
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sealed_urls FROM jobs WHERE id = 'api-secret-1'")) {
            rs.next();
            assertEquals(null, rs.getBytes(1), "encrypted URLs are erased when the job ends");
        }
    }

    @Test
    void listsNewestFirstWithPaging() {
        for (int i = 1; i <= 3; i++) {
            Jobs.submit(Jobs.body("api-page-" + i, "testing", K, S));
        }
        List<String> ids = given().get("/jobs?limit=500").then().statusCode(200)
                .body("count", notNullValue()).extract().jsonPath().getList("jobs.jobId");
        assertTrue(ids.indexOf("api-page-3") < ids.indexOf("api-page-2"));
        assertTrue(ids.indexOf("api-page-2") < ids.indexOf("api-page-1"));
        given().get("/jobs?limit=1&offset=0").then().statusCode(200).body("jobs.size()", equalTo(1))
                .body("limit", equalTo(1));
        given().get("/jobs?limit=0").then().statusCode(400).contentType("application/problem+json");
        given().get("/jobs?status=BOGUS").then().statusCode(400).body("detail", containsString("QUEUED"));
    }

    @Test
    void healthEndpointsAnswer() {
        given().get("/healthz").then().statusCode(200).body(equalTo("ok"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/jobs/{id}/logs"))
                .body(containsString("/jobs/{id}/cancel"));
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        given().get("/no/such/route").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/not-found"))
                .body(not(containsString("<html")));
        given().get("/jobs/nope").then().statusCode(404)
                .body("type", equalTo("https://flinkjobrunner.io/problems/job-not-found"));
        given().put("/jobs").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/method-not-allowed"));
        given().contentType("text/plain").body("hello").post("/jobs").then().statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/unsupported-media-type"));
        given().get("/jobs/x/logs?after=-3").then().statusCode(400).contentType("application/problem+json");
        // the routes the unknown ones resemble still answer normally, with the documented list shape
        given().get("/jobs").then().statusCode(200).contentType("application/json")
                .body("jobs", instanceOf(java.util.List.class)).body("offset", equalTo(0)).body("limit", equalTo(50));
    }

    private static void awaitFile(java.nio.file.Path p) {
        Await.until(p + " exists", java.time.Duration.ofSeconds(10), () -> Files.exists(p), () -> "missing");
    }
}
