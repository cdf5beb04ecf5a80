package io.flinkjobrunner.service.targets;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.InputServer;
import io.flinkjobrunner.service.testing.Jobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validate target end to end: real downloads from a loopback server, parsing, shape checks, reports. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ValidateTargetTest {

    private static InputServer inputs;
    private static String knowledge;

    @BeforeAll
    static void serveInputs() throws Exception {
        knowledge = Files.readString(Path.of("../work/kms/knowledge.ttl"));
        inputs = new InputServer()
                .put("/knowledge.ttl", knowledge)
                .put("/shacl.ttl", Files.readString(Path.of("../work/kms/shacl.ttl")))
                .put("/model.jsonld", Files.readString(Path.of("src/test/resources/validate/model-violating.jsonld")))
                .put("/broken.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://e/> .\n"
                        + "ex:S a sh:NodeShape ;\n  sh:targetClass ex:C , .\n")
                .put("/illformed.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://e/> .\n"
                        + "ex:S a sh:NodeShape ;\n  sh:targetClass ex:C ;\n  sh:property [ sh:minCount \"many\" ] .\n");
    }

    @AfterAll
    static void stopInputs() {
        inputs.close();
    }

    private static String body(String id, String k, String s, String model) {
        return "{\"jobId\":\"" + id + "\",\"target\":\"validate\",\"urls\":{\"knowledge\":\"" + k + "\",\"shacl\":\""
                + s + "\"" + (model == null ? "" : ",\"model\":\"" + model + "\"") + "}}";
    }

    private static JsonPath run(String id, String k, String s, String model) {
        Jobs.submit(body(id, k, s, model));
        return Jobs.awaitStatus(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED", "CANCELLED");
    }

    @Test
    void validatesInputsAndProducesCoverageAndModelReport() throws Exception {
        JsonPath job = run("val-ok-1", inputs.url("/knowledge.ttl?X-Amz-Signature=s3cr3t"), inputs.url("/shacl.ttl"),
                inputs.url("/model.jsonld"));
        String log = given().get("/jobs/val-ok-1/logs").asString();
        assertEquals("SUCCEEDED", job.getString("status"), job.prettify() + log);
        assertEquals(List.of("download", "parse", "check-shapes", "coverage", "validate-model"),
                job.getList("steps.name"));
        assertEquals(sha256(knowledge), job.getString("inputs.find { it.name == 'knowledge' }.sha256"));
        assertEquals(knowledge.getBytes(StandardCharsets.UTF_8).length,
                job.getLong("inputs.find { it.name == 'knowledge' }.bytes"));
        assertTrue(job.getString("inputs.find { it.name == 'knowledge' }.url").endsWith("/knowledge.ttl?REDACTED"));
        given().get("/jobs/val-ok-1/artifacts").then().statusCode(200)
                .body("artifacts.name", hasItems("coverage.json", "validation-report.ttl", "validation-report.json"));
        given().get("/jobs/val-ok-1/artifacts/coverage.json").then().statusCode(200)
                .contentType(containsString("application/json")).body("entries.size()", greaterThan(0));
        given().get("/jobs/val-ok-1/artifacts/validation-report.ttl").then().statusCode(200)
                .body(containsString("ValidationReport")).body(containsString("MaxInclusive"));
        assertTrue(log.contains("[parse] Parsed knowledge.ttl"), log);
        assertTrue(log.contains("[check-shapes] Shapes graph is well-formed"), log);
        assertTrue(log.contains("[coverage] coverage: "), log);
        assertTrue(log.contains("(every component: artifact coverage.json)"), log);
        assertFalse(log.contains("[coverage] COMPILED"), "a summary, not one line per component: " + log);
        assertTrue(log.matches("(?s).*Step 2/5 \\(parse\\) completed successfully in \\d+ ms\\..*"), log);
        assertTrue(log.contains("[validate-model] Mapped model-instance.jsonld: 1 entities"), log);
        assertFalse(log.contains("s3cr3t"));
    }

    @Test
    void turtleSyntaxErrorFailsWithFileLineAndColumn() {
        JsonPath job = run("val-syntax-1", inputs.url("/knowledge.ttl"), inputs.url("/broken.ttl"), null);
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").matches("shacl\\.ttl:4:\\d+: .+"), job.getString("lastError"));
        assertEquals(List.of("SUCCEEDED", "FAILED", "SKIPPED", "SKIPPED", "SKIPPED"), job.getList("steps.status"));
        given().get("/jobs/val-syntax-1/logs").then()
                .body(containsString("[parse] ERROR Step 2/5 (parse) failed: shacl.ttl:4:"));
    }

    @Test
    void illFormedShapesGraphFailsTheShapesCheck() {
        JsonPath job = run("val-shapes-1", inputs.url("/knowledge.ttl"), inputs.url("/illformed.ttl"), null);
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").startsWith("shacl.ttl is not a well-formed SHACL shapes graph"),
                job.getString("lastError"));
        assertEquals("FAILED", job.getString("steps.find { it.name == 'check-shapes' }.status"));
    }

    @Test
    void oversizeDownloadFails() {
        JsonPath job = run("val-big-1", inputs.url("/big/60000000"), inputs.url("/shacl.ttl"), null);
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").startsWith("download of knowledge.ttl failed: "),
                job.getString("lastError"));
        assertTrue(job.getString("lastError").contains("52428800"), job.getString("lastError"));
    }

    @Test
    void redirectToPrivateAddressIsRefused() {
        JsonPath job = run("val-ssrf-1", inputs.url("/redirect-private/k.ttl"), inputs.url("/shacl.ttl"), null);
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").contains("10.255.255.1"), job.getString("lastError"));
        assertNull(job.getString("inputs.find { it.name == 'knowledge' }.sha256"));
    }

    @Test
    void missingDocumentFailsWithHttpStatus() {
        JsonPath job = run("val-404-1", inputs.url("/nope.ttl"), inputs.url("/shacl.ttl"), null);
        assertEquals("FAILED", job.getString("status"));
        assertTrue(job.getString("lastError").contains("404"), job.getString("lastError"));
    }

    @Test
    void cancellingDuringASlowDownloadEndsCancelled() throws Exception {
        Jobs.submit(body("val-cancel-1", inputs.url("/slow/k.ttl"), inputs.url("/shacl.ttl"), null));
        Jobs.awaitStatus("val-cancel-1", Duration.ofSeconds(30), "RUNNING");
        for (int i = 0; i < 200 && !given().get("/jobs/val-cancel-1/logs").asString()
                .contains("Downloading knowledge.ttl"); i++) {
            Thread.sleep(50);
        }
        given().post("/jobs/val-cancel-1/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        JsonPath job = Jobs.awaitStatus("val-cancel-1", Duration.ofSeconds(5), "CANCELLED");
        assertEquals("CANCELLED", job.getString("steps.find { it.name == 'download' }.status"));
        assertNull(job.getString("lastError"));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
