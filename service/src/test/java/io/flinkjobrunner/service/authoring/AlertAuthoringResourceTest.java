package io.flinkjobrunner.service.authoring;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.flinkjobrunner.rdf.TurtleReader;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;

/**
 * The portal's authoring endpoints over HTTP: reference fields and defaults, the fixes, hostile prompts and malformed
 * requests. Two requests run scenarios on the real local stream engine (in-process Kafka + Flink).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class AlertAuthoringResourceTest {

    private static final String CUTTER = "{\"id\":\"urn:iff:cutter:1\",\"type\":"
            + "\"https://industry-fusion.org/base/v0.1/cutter\",\"https://industry-fusion.org/base/v0.1/temperature\":"
            + "{\"type\":\"Property\",\"value\":20}}";

    private static ValidatableResponse post(String path, String body) {
        return given().contentType("application/json").body(body).post(path).then();
    }

    /** For requests that run a Flink job on the local engine: allow for a busy build machine. */
    private static ValidatableResponse postRunningScenarios(String path, String body) {
        RestAssuredConfig patient = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 600_000).setParam("http.connection.timeout", 10_000));
        return given().config(patient).contentType("application/json").body(body).post(path).then();
    }

    private static void assertProblem(ValidatableResponse response, int status, String type, String detail) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/" + type))
                .body("status", equalTo(status))
                .body("detail", containsString(detail))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void parsesTheDocumentedExample() {
        post("/api/alerts/parse", "{\"prompt\":\"Alert me if temperature exceeds 75 °C\"}").statusCode(200)
                .body("sensor", equalTo("temperature"))
                .body("operator", equalTo(">"))
                .body("threshold", equalTo(75.0f))
                .body("unit", equalTo("°c"));
    }

    @Test
    void parsesWithTheReferenceDefaultsAndAnyContentType() {
        given().contentType("text/plain").body("{\"prompt\":\"humidity below 30%\"}").post("/api/alerts/parse")
                .then().statusCode(200).body("sensor", equalTo("humidity")).body("operator", equalTo("<"))
                .body("unit", equalTo("%"));
        given().contentType("application/json").post("/api/alerts/parse").then().statusCode(200)
                .body("sensor", equalTo("temperature")).body("threshold", equalTo(0.0f))
                .body("unit", nullValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "/api/alerts/parse           | {\"prompt\": | malformed-json | not valid JSON",
        "/api/alerts/parse           | [\"temperature above 5\"] | invalid-request | must be a JSON object",
        "/api/alerts/parse           | {\"prompt\":42} | invalid-request | prompt must be a string, got a number",
        "/api/shacl/generate         | {\"condition\":\"temperature > 5\"} | invalid-request | condition must be an object",
        "/api/shacl/generate         | {\"condition\":{\"threshold\":\"abc\"}} | invalid-request | condition.threshold must be a finite number",
        "/api/shacl/generate         | {\"condition\":{\"threshold\":\"NaN\"}} | invalid-request | condition.threshold must be a finite number",
        "/api/shacl/generate         | {\"condition\":{\"operator\":\"gt\"}} | invalid-request | condition.operator must be one of",
        "/api/shacl/generate         | {\"condition\":{\"sensor\":\"temp> ; <x> <y> <z\"}} | invalid-request | is neither an attribute name",
        "/api/shacl/generate         | {\"condition\":{\"unit\":\"°c\\n<x> <y> <z> .\"}} | invalid-request | condition.unit must be at most 32",
        "/api/shacl/generate         | {\"jsonld_data\":[1]} | invalid-request | jsonld_data must be one NGSI-LD entity",
        "/api/shacl/generate         | {\"jsonld_data\":{\"@context\":\"http://169.254.169.254/ctx\",\"id\":\"urn:a\",\"type\":\"T\"}} | invalid-request | http://169.254.169.254/ctx",
        "/api/shacl/validate         | {} | invalid-request | shacl_rule is required",
        "/api/shacl/validate         | {\"shacl_rule\":7} | invalid-request | shacl_rule must be a string",
        "/api/alerts/validate-cli-style | {\"args\":\"x\"} | invalid-request | args must be an object",
        "/api/alerts/validate-cli-style | {\"args\":{\"validate\":\"yes\"}} | invalid-request | args.validate must be true or false"})
    void refusesMalformedRequestsWithProblems(String path, String body, String type, String detail) {
        assertProblem(post(path, body), 400, type, detail);
    }

    @Test
    void refusesOverlongPrompts() {
        assertProblem(post("/api/alerts/parse", "{\"prompt\":\"" + "a".repeat(2001) + "\"}"), 400, "invalid-request",
                "prompt must be at most 2000 characters");
    }

    @Test
    void answersWrongMethodsWithProblems() {
        given().get("/api/alerts/parse").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/method-not-allowed"));
    }

    @Test
    void generatesAShapeForThePromptAndEntity() {
        String shacl = post("/api/shacl/generate", "{\"prompt\":\"noise at least 85 dB\",\"jsonld_data\":" + CUTTER
                + "}").statusCode(200)
                .body("condition.sensor", equalTo("noise"))
                .body("condition.operator", equalTo(">="))
                .extract().path("shacl");
        Model model = TurtleReader.read(shacl, "generated.ttl").model();
        assertTrue(model.contains(null, SHACL.MAX_EXCLUSIVE, null), shacl);
        assertTrue(shacl.contains("sh:targetClass if:cutter"), shacl);
        assertTrue(shacl.contains("if:CutterAlertShape"), shacl);
    }

    @Test
    void conditionFieldsOverrideThePromptAndDefaults() {
        String shacl = post("/api/shacl/generate", "{\"condition\":{\"sensor\":\"humidity\",\"operator\":\"==\","
                + "\"threshold\":\"42\",\"unit\":\"%\"}}").statusCode(200)
                .body("condition.threshold", equalTo(42.0f))
                .extract().path("shacl");
        assertTrue(shacl.contains("if:AssetAlertShape"), shacl);
        assertTrue(shacl.contains("sh:message \"Humidity == 42.0%\""), shacl);
        post("/api/shacl/generate", "{}").statusCode(200).body("condition.sensor", equalTo("temperature"))
                .body("condition.operator", equalTo(">")).body("condition.threshold", equalTo(0.0f));
    }

    @Test
    void hostilePromptsAndUnitsCannotInjectTurtle() {
        String hostile = "{\"prompt\":\"temperature above 5 \\\"\\\"\\\" . <http://evil/a> <http://evil/b> <http://evil/c> .\","
                + "\"condition\":{\"unit\":\"\\\" ; a <http://evil/Shape> . #\"}}";
        String shacl = post("/api/shacl/generate", hostile).statusCode(200).extract().path("shacl");
        Model model = TurtleReader.read(shacl, "generated.ttl").model();
        assertEquals(9, model.size(), shacl);
        assertTrue(model.stream().noneMatch(s -> s.toString().contains("evil/Shape") && !s.getPredicate()
                .equals(SHACL.MESSAGE)), shacl);
        assertEquals("Temperature > 5.0\" ; a <http://evil/Shape> . #", Models.objectLiteral(model.filter(null,
                SHACL.MESSAGE, null)).orElseThrow().getLabel());
    }

    @Test
    void reportsAShapeSyntaxErrorAsATestResult() {
        post("/api/shacl/validate", "{\"shacl_rule\":\"@prefix sh: <http://www.w3.org/ns/shacl#> .\\nex:S a"
                + " sh:NodeShape .\",\"prompt\":\"temperature above 5\"}").statusCode(200)
                .body("available", equalTo(true))
                .body("valid_syntax", equalTo(false))
                .body("all_tests_passed", equalTo(false))
                .body("error", equalTo("SHACL syntax error: shacl_rule:2:1: Namespace prefix 'ex' used but not"
                        + " defined"))
                .body("test_results", hasSize(0));
    }

    @Test
    void testsAGeneratedShapeWithBothVerdicts() {
        String shacl = post("/api/shacl/generate", "{\"prompt\":\"temperature exceeds 75 °C\",\"jsonld_data\":"
                + CUTTER + "}").statusCode(200).extract().path("shacl");
        String body = "{\"shacl_rule\":" + quote(shacl) + ",\"jsonld_data\":" + CUTTER
                + ",\"prompt\":\"temperature exceeds 75 °C\"}";
        ValidatableResponse response = postRunningScenarios("/api/shacl/validate", body).statusCode(200)
                .body("valid_syntax", equalTo(true))
                .body("all_tests_passed", equalTo(true))
                .body("verdicts_agree", equalTo(true))
                .body("test_results", hasSize(3))
                .body("test_results.scenario", equalTo(List.of("trigger: temperature = 85.0",
                        "no trigger: temperature = 65.0", "boundary: temperature = 75.0")))
                .body("test_results.expected", equalTo(List.of("TRIGGER", "NO TRIGGER", "NO TRIGGER")))
                .body("test_results.actual", equalTo(List.of("TRIGGERED", "OK", "OK")))
                .body("test_results.stream_actual", equalTo(List.of("TRIGGERED", "OK", "OK")))
                .body("test_results.passed", everyItem(equalTo(true)));
        response.body("test_results[0].messages", equalTo(List.of("Temperature > 75.0°c")));
    }

    @Test
    void cliStyleReportsTheRunAsText() {
        post("/api/alerts/validate-cli-style", "{\"args\":{\"prompt\":\"x\",\"validate\":false}}").statusCode(200)
                .body("output", equalTo(""));
        String output = post("/api/alerts/validate-cli-style", "{\"args\":{\"prompt\":\"temperature below 10\"},"
                + "\"shacl_rule\":\"not turtle\"}").statusCode(200).extract().path("output");
        assertTrue(output.contains("Condition:  temperature < 10.0"), output);
        assertTrue(output.contains("❌ SHACL syntax error: shacl_rule:1:"), output);
        String passed = postRunningScenarios("/api/alerts/validate-cli-style", "{\"args\":{\"prompt\":\"machine state equals 2\"},"
                + "\"jsonld_data\":" + CUTTER + "}").statusCode(200).extract().path("output");
        assertTrue(passed.contains("SHACL rule: generated from the prompt"), passed);
        assertTrue(passed.contains("✅ trigger: machine_state = 2.0: expected TRIGGER, RDF4J TRIGGERED,"
                + " stream TRIGGERED"), passed);
        assertTrue(passed.contains("✅ All 3 scenarios passed"), passed);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
