package io.flinkjobrunner.service.deploy.targets;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.flinkjobrunner.service.deploy.kubernetes.CrdSchemas;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Fko;
import io.flinkjobrunner.service.deploy.kubernetes.OperatorRelease.Strimzi;
import io.flinkjobrunner.service.deploy.kubernetes.RealApiServer;
import io.flinkjobrunner.service.deploy.kubernetes.TestingFlinkOperator;
import io.flinkjobrunner.service.deploy.kubernetes.TestingTopicOperator;
import io.flinkjobrunner.service.deploy.kubernetes.spec.FlinkVersions;
import io.flinkjobrunner.service.secrets.SecretBox;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.LocalKafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The application's own build end to end: inputs downloaded over HTTP, parsed, shapes checked, compiled and checked by
 * Flink's planner, then planned and deployed to the real API server ({@link TestingKubernetes}) with the operator
 * doubles.
 */
@QuarkusTest
@Tag(RealApiServer.TAG)
@TestProfile(EndToEndDeployProfile.class)
@QuarkusTestResource(value = TestingKubernetes.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true)
class EndToEndDeployTest {

    private static HttpServer files;
    /** Requests the input server answered: a resumed deploy downloads nothing. */
    private static final AtomicInteger DOWNLOADS = new AtomicInteger();

    @Inject
    DataSource dataSource;
    @Inject
    SecretBox secrets;


    /** Serves {@code /deploy/kms/**} of the test class path, plus a shapes file with a syntax error. */
    @BeforeAll
    static void serveInputs() throws IOException {
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/", exchange -> {
            DOWNLOADS.incrementAndGet();
            byte[] body;
            if (exchange.getRequestURI().getPath().equals("/broken/shacl.ttl")) {
                body = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nex:S a sh:NodeShape .\n"
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                try (InputStream in = EndToEndDeployTest.class.getResourceAsStream("/deploy/kms"
                        + exchange.getRequestURI().getPath().replace("/broken/", "/v1/"))) {
                    body = in == null ? null : in.readAllBytes();
                }
            }
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        files.start();
    }

    @AfterAll
    static void stopServing() {
        files.stop(0);
    }

    private static String body(String jobId, String target, String deployment, String scenario) {
        String base = "http://127.0.0.1:" + files.getAddress().getPort() + "/" + scenario;
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"" + target + "\",\"urls\":{\"knowledge\":\"" + base
                + "/knowledge.ttl?X-Amz-Signature=secret\",\"shacl\":\"" + base + "/shacl.ttl\"},"
                + "\"context\":{\"deployment\":\"" + deployment + "\"}}";
    }

    private static String artifact(String jobId, String name) {
        return given().get("/jobs/" + jobId + "/artifacts/" + name).then().statusCode(200).extract().asString();
    }

    @Test
    void downloadsCompilesWithThePlannerCheckAndDeploysTheSqlItCompiled() {
        Jobs.submit(body("e2e-plan", "plan", "iota", "v1"));
        JsonPath plan = Jobs.awaitStatus("e2e-plan", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", plan.getString("status"), plan.prettify());
        assertEquals(List.of("resolve", "download", "parse", "check-shapes", "coverage", "compile", "planner-check",
                "render"),
                plan.getList("steps.name"));
        assertTrue(plan.getString("inputs.find { it.name == 'knowledge' }.sha256").matches("[0-9a-f]{64}"));
        assertTrue(!plan.prettify().contains("secret"), "pre-signed query strings never show");
        String log = given().get("/jobs/e2e-plan/logs").asString();
        assertTrue(log.contains("Flink's planner accepts the unit"), log);
        assertTrue(artifact("e2e-plan", "coverage.json").length() > 0);
        // What a new user's first plan renders with the shipped defaults runs on the operators users run.
        String planned = artifact("e2e-plan", "manifests.yaml");
        for (Fko fko : List.of(Fko.V1_13, Fko.V1_14, Fko.V1_15)) {
            assertEquals(List.of(), CrdSchemas.violations(planned, fko, Strimzi.V0_45), "FKO " + fko.release());
        }
        assertTrue(planned.contains("flinkVersion: \"" + FlinkVersions.runtimeOperatorVersion() + "\""), planned);
        assertTrue(planned.contains("upgradeMode: \"stateless\""), "no state directory: stateless by default");

        try (TestingFlinkOperator operator = new TestingFlinkOperator(TestingKubernetes.admin(),
                TestingKubernetes.namespace(), TestingKubernetes.FKO);
                TestingTopicOperator topics = new TestingTopicOperator(TestingKubernetes.admin(),
                        TestingKubernetes.namespace(), TestingKubernetes.STRIMZI, LocalKafkaResource.broker())) {
            Jobs.submit(body("e2e-deploy", "setup-and-deploy", "iota", "v1"));
            JsonPath deploy = Jobs.awaitStatus("e2e-deploy", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", deploy.getString("status"), deploy.prettify());
            assertEquals(List.of("resolve", "preflight", "download", "parse", "check-shapes", "coverage", "compile",
                    "planner-check", "deploy"),
                    deploy.getList("steps.name"));
            assertEquals(artifact("e2e-plan", "manifests.yaml"), artifact("e2e-deploy", "manifests.yaml"));
            String deployLog = given().get("/jobs/e2e-deploy/logs").asString();
            assertTrue(deployLog.contains("Flink's planner accepts the unit")
                    && deployLog.contains("the same SQL was planned before in this process"),
                    "the deploy's unit is the plan's SQL, checked once: " + deployLog);
            StringBuilder deployedSql = new StringBuilder();
            TestingKubernetes.admin().configMaps().inNamespace(TestingKubernetes.namespace())
                    .withLabel("flinkjobrunner.io/deployment", "iota").list().getItems().stream()
                    .filter(c -> c.getMetadata().getName().startsWith("iota-sql-"))
                    .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
                    .map(ConfigMap::getData).forEach(data -> data.values().forEach(deployedSql::append));
            assertEquals(artifact("e2e-deploy", "unit.sql"), deployedSql.toString(),
                    "the ConfigMaps hold exactly the SQL that was compiled and planner-checked");
            assertNotNull(TestingKubernetes.admin().genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment")
                    .inNamespace(TestingKubernetes.namespace()).withName("iota").get());
        }
    }

    /**
     * A deploy whose replica died while it applied (every step before {@code deploy} completed, its artifacts stored,
     * {@code deploy} RUNNING, the lease run out) is resumed by the next attempt at the deploy step: the unit is
     * restored from the stored files, nothing is downloaded or compiled again, and the same manifests are applied
     * again (idempotent) until the deployment runs.
     */
    @Test
    void aDeployLostWhileApplyingIsResumedAtItsDeployStepWithTheUnitItStored() throws Exception {
        try (TestingFlinkOperator operator = new TestingFlinkOperator(TestingKubernetes.admin(),
                TestingKubernetes.namespace(), TestingKubernetes.FKO);
                TestingTopicOperator topics = new TestingTopicOperator(TestingKubernetes.admin(),
                        TestingKubernetes.namespace(), TestingKubernetes.STRIMZI, LocalKafkaResource.broker())) {
            Jobs.submit(body("e2e-resume", "deploy", "mu", "v1"));
            JsonPath first = Jobs.awaitStatus("e2e-resume", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", first.getString("status"), first.prettify());
            String unit = artifact("e2e-resume", "unit.sql");
            String manifests = artifact("e2e-resume", "manifests.yaml");
            List<String> inputs = first.getList("inputs.sha256");
            int downloads = DOWNLOADS.get();
            loseInDeployStep(1, false);

            JsonPath resumed = Jobs.awaitStatus("e2e-resume", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", resumed.getString("status"), resumed.prettify());
            assertEquals(List.of("LOST", "SUCCEEDED"), resumed.getList("attempts.outcome"));
            String log = given().get("/jobs/e2e-resume/logs").asString();
            String second = log.substring(log.indexOf("Starting attempt 2"));
            assertTrue(second.startsWith("Starting attempt 2 of job e2e-resume with target 'deploy' (8 steps) on "
                    + "replica "), second);
            assertTrue(second.contains(", resuming at step 8 (deploy): restoring [compile] from what an earlier "
                    + "attempt stored, running [resolve, deploy], skipping [download, parse, check-shapes, coverage, "
                    + "planner-check] (completed earlier)"), second);
            assertTrue(second.contains("Restored the unit an earlier attempt compiled from its stored files"), second);
            assertTrue(!second.contains("Running step 2/8: download") && !second.contains("Running step 6/8"),
                    "nothing is downloaded or compiled again: " + second);
            assertEquals(downloads, DOWNLOADS.get(), "no input was downloaded again");
            assertEquals(inputs, resumed.getList("inputs.sha256"), "the inputs the unit was built from");
            assertEquals(unit, artifact("e2e-resume", "unit.sql"));
            assertEquals(manifests, artifact("e2e-resume", "manifests.yaml"), "the same manifests applied again");
            assertEquals(List.of("SUCCEEDED"), resumed.getList("steps.status").stream().distinct().toList());
            assertTrue(second.contains("Deployed "), second);

            // lost again, and a file the unit is restored from is gone: the next attempt starts over instead
            loseInDeployStep(2, true);
            JsonPath again = Jobs.awaitStatus("e2e-resume", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
            assertEquals(List.of("LOST", "LOST", "SUCCEEDED"), again.getList("attempts.outcome"), again.prettify());
            String third = given().get("/jobs/e2e-resume/logs").asString();
            third = third.substring(third.indexOf("Starting attempt 3"));
            assertTrue(third.contains("from the first step"), third);
            assertEquals(unit, artifact("e2e-resume", "unit.sql"), "compiled again to the same unit");
            assertTrue(artifact("e2e-resume", "unit.json").length() > 0, "and stored again");
        }
    }

    /**
     * Leaves job {@code e2e-resume} as a replica that died in its deploy step leaves it: RUNNING by a gone owner whose
     * lease ran out, every step before {@code deploy} completed, {@code deploy} RUNNING, its input URLs still sealed
     * in the row (they are erased only when a job ends), the deployment DEPLOYING; with {@code unitJsonGone} one of
     * the files the unit is restored from is missing.
     */
    private void loseInDeployStep(int attempt, boolean unitJsonGone) throws Exception {
        String base = "http://127.0.0.1:" + files.getAddress().getPort() + "/v1";
        byte[] sealed = secrets.seal("{\"knowledge\":\"" + base + "/knowledge.ttl\",\"shacl\":\"" + base
                + "/shacl.ttl\"}");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             PreparedStatement urls = c.prepareStatement("UPDATE jobs SET sealed_urls = ? WHERE id = 'e2e-resume'")) {
            s.executeUpdate("UPDATE jobs SET status = 'RUNNING', ended_at = NULL, owner = 'gone-node/1', "
                    + "lease_until = now() - interval '1 second', deployment_lock = 'mu' WHERE id = 'e2e-resume'");
            urls.setBytes(1, sealed);
            urls.executeUpdate();
            s.executeUpdate("UPDATE job_steps SET status = 'RUNNING', ended_at = NULL WHERE job_id = 'e2e-resume' "
                    + "AND name = 'deploy'");
            s.executeUpdate("UPDATE job_attempts SET ended_at = NULL, outcome = NULL, owner = 'gone-node/1' "
                    + "WHERE job_id = 'e2e-resume' AND attempt = " + attempt);
            s.executeUpdate("UPDATE deployments SET status = 'DEPLOYING' WHERE name = 'mu'");
            if (unitJsonGone) {
                s.executeUpdate("DELETE FROM job_artifacts WHERE job_id = 'e2e-resume' AND name = 'unit.json'");
            }
        }
    }

    @Test
    void buildStoresTheSqlTheSemanticDataAndTheCoverageReport() throws IOException {
        Jobs.submit(body("e2e-build", "build", "lambda", "v1"));
        JsonPath build = Jobs.awaitStatus("e2e-build", Duration.ofMinutes(3), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", build.getString("status"), build.prettify());
        assertEquals(List.of("resolve", "download", "parse", "check-shapes", "coverage", "compile", "planner-check"),
                build.getList("steps.name"));
        JsonPath listing = given().get("/jobs/e2e-build/artifacts").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("constraint_combination_table.json", "constraint_table.json", "coverage.json",
                "coverage.txt", "rdf.json", "records.jsonl", "unit.json", "unit.sql").stream()
                .map(name -> name.startsWith("unit.") || name.startsWith("coverage") ? name : "semantic-data." + name)
                .sorted().toList(),
                listing.getList("artifacts.name", String.class).stream().sorted().toList());
        assertEquals("application/x-ndjson",
                listing.getString("artifacts.find { it.name == 'semantic-data.records.jsonl' }.mediaType"));

        assertTrue(artifact("e2e-build", "unit.sql").contains("EXECUTE STATEMENT SET"));
        assertTrue(artifact("e2e-build", "unit.sql").contains("SET 'execution.buffer-timeout' = '25 ms';"),
                "runner.deploy.flink.buffer-timeout reaches the unit");
        assertTrue(artifact("e2e-build", "coverage.txt").startsWith("coverage: "));
        ObjectMapper json = new ObjectMapper();
        int rows = 0;
        Map<String, String> topicOfTable = Map.of("rdf", "fjr.lambda.rdf", "constraint_table",
                "fjr.lambda.constraint_table", "constraint_combination_table", "fjr.lambda.constraint_combination_table");
        for (String table : topicOfTable.keySet()) {
            JsonNode semantic = json.readTree(artifact("e2e-build", "semantic-data." + table + ".json"));
            assertEquals(table, semantic.get("name").asText());
            assertTrue(semantic.get("primaryKey").size() > 0, table);
            rows += semantic.get("rows").size();
        }
        List<String> records = artifact("e2e-build", "semantic-data.records.jsonl").lines().toList();
        assertEquals(rows, records.size(), "one upsert record per semantic row");
        assertTrue(rows > 0);
        for (String record : records) {
            assertTrue(topicOfTable.containsValue(json.readTree(record).get("topic").asText()), record);
        }
    }

    @Test
    void aSyntaxErrorFailsTheBuildWithFileLineAndColumn() {
        Jobs.submit(body("e2e-broken", "deploy", "kappa", "broken"));
        JsonPath job = Jobs.awaitStatus("e2e-broken", Duration.ofMinutes(2), "SUCCEEDED", "FAILED");
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").startsWith("shacl.ttl:3:1: "), job.getString("lastError"));
        assertEquals("FAILED", job.getString("steps.find { it.name == 'parse' }.status"));
        assertEquals("SKIPPED", job.getString("steps.find { it.name == 'deploy' }.status"));
    }
}
