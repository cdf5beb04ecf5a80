package io.flinkjobrunner.service.targets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.InputServer;
import io.flinkjobrunner.service.testing.Jobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulate target end to end: inputs downloaded from a loopback server, compiled, and the model run on the
 * service's local engine; the final alerts must equal the reference's expected result of the model exactly.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class SimulateTargetTest {

    private static final Path KMS = Path.of("../compiler/src/test/resources/kms");
    private static final Path CONSTRAINTS = KMS.resolve("kms-constraints/test1");
    private static final Path RULES = KMS.resolve("kms-rules/test3");
    private static final Path CASES = Path.of("../compiler/src/test/resources/compiler-cases");
    /** Compiler cases beyond the reference: sub-attribute shapes at two levels, a relationship path. */
    private static final List<String> BEYOND_REFERENCE = List.of("subAttribute", "sequencePath");
    private static final Duration WAIT = Duration.ofMinutes(4);

    private static InputServer inputs;

    @Inject
    EmbeddedEngine embedded;

    @BeforeAll
    static void serveInputs() throws Exception {
        inputs = new InputServer();
        for (Path dir : List.of(CONSTRAINTS, RULES)) {
            String prefix = "/" + dir.getParent().getFileName() + "/";
            for (String file : List.of("knowledge.ttl", "shacl.ttl", "model2.jsonld", "model11.jsonld")) {
                if (Files.exists(dir.resolve(file))) {
                    inputs.put(prefix + file, Files.readString(dir.resolve(file)));
                }
            }
        }
        StringBuilder shapes = new StringBuilder("""
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                @prefix ex: <http://example.com/> .
                """);
        List<String> entities = new java.util.ArrayList<>();
        for (String name : BEYOND_REFERENCE) {
            shapes.append(Files.readString(CASES.resolve(name).resolve("shapes.ttl")));
            String model = Files.readString(CASES.resolve(name).resolve("model.jsonld")).strip();
            entities.add(model.substring(1, model.length() - 1));
        }
        inputs.put("/cases/shacl.ttl", shapes.toString());
        inputs.put("/cases/knowledge.ttl", "@prefix ex: <http://example.com/> .\n");
        inputs.put("/cases/model.jsonld", "[" + String.join(",", entities) + "]\n");
        inputs.put("/broken/model.jsonld", "[\n  {\n    \"id\": \"urn:x:1\",\n    \"type\" \"urn:t\"\n  }\n]\n");
    }

    @AfterAll
    static void stopInputs() {
        inputs.close();
    }

    private static String body(String jobId, String suite, String model) {
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"simulate\",\"urls\":{\"knowledge\":\""
                + inputs.url("/" + suite + "/knowledge.ttl") + "\",\"shacl\":\"" + inputs.url("/" + suite
                + "/shacl.ttl") + "\",\"model\":\"" + inputs.url(model) + "\"}}";
    }

    private static String artifact(String jobId, String name) {
        return given().get("/jobs/" + jobId + "/artifacts/" + name).then().statusCode(200).extract().asString();
    }

    private static String log(String jobId) {
        return given().get("/jobs/" + jobId + "/logs").asString();
    }

    @Test
    void storesTheFinalAlertsOfTheModelAsTheReferenceExpectsThem() throws Exception {
        Jobs.submit(body("sim-constraints", "kms-constraints", "/kms-constraints/model11.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-constraints", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        assertEquals(List.of("download", "parse", "check-shapes", "coverage", "compile", "planner-check", "simulate"),
                job.getList("steps.name"));
        List<String> expected = Files.readAllLines(CONSTRAINTS.resolve("model11.jsonld_result"));
        assertEquals(String.join("\n", expected) + "\n", artifact("sim-constraints", "alerts.csv"));
        given().get("/jobs/sim-constraints/artifacts/alerts.csv").then().contentType(containsString("text/csv"));
        String log = log("sim-constraints");
        for (String line : expected) {
            assertTrue(log.contains("[simulate] " + line), log);
        }
        assertTrue(log.contains("[simulate] Final alerts: 5 alerts (5 warning)"), log);
        String events = given().header("Accept", "text/event-stream").get("/jobs/sim-constraints/logs").asString();
        assertTrue(events.contains("\"simulation\":{\"alerts\":5,\"severities\":{\"warning\":5},\"jobMillis\":"),
                events);
        assertFalse(given().get("/jobs/sim-constraints/artifacts").asString().contains("inserts.csv"),
                "a unit without rules infers nothing");
        assertTrue(embedded.started().isPresent(), "the scenario ran on the service's one local engine");
        assertTrue(embedded.started().orElseThrow().topicNames().stream()
                .noneMatch(topic -> topic.contains("sim-constraints")), "the scenario's topics are gone");
    }

    /**
     * A model whose @context is a URL: fetched through the guarded downloader from an allowed host (the loopback
     * server is allow-listed for the tests), its digest written to the job log; a numeric datasetId is accepted with
     * a warning naming the entity and attribute, and the alerts are the reference's.
     */
    @Test
    void fetchesARemoteContextThroughTheGuardedDownloaderAndLogsItsDigest() throws Exception {
        String context = "{\"@context\": {\"iff\": \"https://industry-fusion.com/types/v0.9/\"}}";
        inputs.put("/contexts/iff.jsonld", context);
        inputs.put("/kms-constraints/remote-context.jsonld", """
                [{"@context": ["https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld", "%s"],
                  "id": "urn:plasmacutter:1", "type": "iff:plasmacutter",
                  "iff:state": {"type": "Property", "value": {"@id": "iff:state_OFFF"}, "datasetId": 0}}]
                """.formatted(inputs.url("/contexts/iff.jsonld")));
        Jobs.submit(body("sim-remote-context", "kms-constraints", "/kms-constraints/remote-context.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-remote-context", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify() + log("sim-remote-context"));
        List<String> expected = Files.readAllLines(CONSTRAINTS.resolve("model1.jsonld_result"));
        assertEquals(String.join("\n", expected) + "\n", artifact("sim-remote-context", "alerts.csv"));
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(context.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String log = log("sim-remote-context");
        assertTrue(log.contains("[simulate] model-instance.jsonld uses @context " + inputs.url("/contexts/iff.jsonld")
                + " (fetched "), log);
        assertTrue(log.contains(", sha256 " + digest + ")"), log);
        assertTrue(log.contains("model-instance.jsonld: entity 'urn:plasmacutter:1', attribute "
                + "'https://industry-fusion.com/types/v0.9/state': datasetId 0 is not an IRI"), log);
    }

    @Test
    void failsNamingAContextOnAHostTheGuardRefuses() throws Exception {
        inputs.put("/kms-constraints/refused-context.jsonld", """
                {"@context": "http://10.1.2.3/context.jsonld", "id": "urn:plasmacutter:1", "type": "urn:t"}""");
        Jobs.submit(body("sim-refused-context", "kms-constraints", "/kms-constraints/refused-context.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-refused-context", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("FAILED", job.getString("status"), job.prettify());
        String error = job.getString("lastError");
        assertTrue(error.contains("remote @context 'http://10.1.2.3/context.jsonld' cannot be fetched")
                && error.contains("10.1.2.3") && error.contains("runner.download.allow-hosts"), error);
    }

    @Test
    void storesTheRuleOutputOfAUnitWithRules() throws Exception {
        Jobs.submit(body("sim-rules", "kms-rules", "/kms-rules/model2.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-rules", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify());
        List<String> expected = Files.readAllLines(RULES.resolve("model2.jsonld_result"));
        assertEquals(String.join("\n", expected) + "\n", artifact("sim-rules", "inserts.csv"));
        assertTrue(log("sim-rules").contains("[simulate] Rule output: " + expected.size()
                + " inferred attribute rows; stored as inserts.csv"), log("sim-rules"));
    }

    /**
     * Shapes the reference cannot check (sub-attribute shapes on every instance, a property path over a relationship)
     * through the service: every entity of the model is fed, and the alerts are the compiler cases' expected ones
     * (which ComponentCasesTest checks against RDF4J ShaclSail).
     */
    @Test
    void checksSubAttributeShapesAndPropertyPathsOnTheModel() throws Exception {
        Jobs.submit(body("sim-beyond", "cases", "/cases/model.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-beyond", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("SUCCEEDED", job.getString("status"), job.prettify() + log("sim-beyond"));
        List<String> expected = new java.util.ArrayList<>();
        for (String name : BEYOND_REFERENCE) {
            Files.readAllLines(CASES.resolve(name).resolve("expected")).stream().filter(l -> !l.isBlank())
                    .forEach(expected::add);
        }
        java.util.Collections.sort(expected);
        List<String> actual = artifact("sim-beyond", "alerts.csv").lines().sorted().toList();
        assertEquals(expected, actual);
        assertTrue(log("sim-beyond").contains("(every entity: the shapes reach beyond the entities the "
                + "reference's tests feed"), log("sim-beyond"));
    }

    @Test
    void refusesASubmissionWithoutModel() {
        String body = "{\"target\":\"simulate\",\"urls\":{\"knowledge\":\"" + inputs.url("/kms-constraints/"
                + "knowledge.ttl") + "\",\"shacl\":\"" + inputs.url("/kms-constraints/shacl.ttl") + "\"}}";
        given().contentType("application/json").body(body).post("/jobs").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/invalid-request"))
                .body("detail", containsString("urls.model is required by target 'simulate'"));
        JsonPath targets = given().get("/targets").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("knowledge", "shacl", "model"),
                targets.getList("targets.find { it.name == 'simulate' }.requiredInputs"));
        assertEquals(List.of("knowledge", "shacl"), targets.getList("targets.find { it.name == 'build' }.requiredInputs"));
    }

    @Test
    void aModelSyntaxErrorFailsWithFileLineAndColumn() {
        Jobs.submit(body("sim-broken", "kms-constraints", "/broken/model.jsonld"));
        JsonPath job = Jobs.awaitStatus("sim-broken", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("FAILED", job.getString("status"), job.prettify());
        assertTrue(job.getString("lastError").matches("model-instance\\.jsonld:4:\\d+: .+"), job.getString("lastError"));
        assertEquals("FAILED", job.getString("steps.find { it.name == 'simulate' }.status"));
    }

    @Test
    void cancelDuringTheScenarioStopsItsFlinkJob() throws Exception {
        Jobs.submit(body("sim-cancel", "kms-constraints", "/kms-constraints/model2.jsonld"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!log("sim-cancel").contains("Running the unit over the model")) {
            assertTrue(System.nanoTime() < deadline, log("sim-cancel"));
            Thread.sleep(20);
        }
        given().post("/jobs/sim-cancel/cancel").then().statusCode(org.hamcrest.Matchers.oneOf(200, 202));
        JsonPath job = Jobs.awaitStatus("sim-cancel", WAIT, "SUCCEEDED", "FAILED", "CANCELLED");

        assertEquals("CANCELLED", job.getString("status"), job.prettify());
        assertNull(job.getString("lastError"));
        assertEquals("CANCELLED", job.getString("steps.find { it.name == 'simulate' }.status"));
        assertFalse(given().get("/jobs/sim-cancel/artifacts").asString().contains("alerts.csv"));
        assertTrue(embedded.started().orElseThrow().topicNames().stream()
                .noneMatch(topic -> topic.contains("sim-cancel")), "the cancelled scenario's topics are gone");
    }
}
