package io.flinkjobrunner.service.api;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Every malformed submission is a 400 problem with a stable type and a detail that names the field. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class BadRequestTest {

    private static final String URLS = "\"urls\":{\"knowledge\":\"http://127.0.0.1:9/k.ttl\",\"shacl\":\"http://127.0.0.1:9/s.ttl\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON                  | {\"jobId\": | malformed-json | line 1",
            "trailing garbage                | {}} | malformed-json | not valid JSON",
            "empty body                      | '' | malformed-json | empty",
            "array instead of object         | [1,2] | invalid-request | must be a JSON object",
            "jobId not a string              | {\"jobId\":5," + URLS + "} | invalid-request | jobId must be a string",
            "path traversal in jobId         | {\"jobId\":\"../x\"," + URLS + "} | invalid-request | jobId must match",
            "slash in jobId                  | {\"jobId\":\"a/b\"," + URLS + "} | invalid-request | jobId must match",
            "jobId too long                  | {\"jobId\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"," + URLS + "} | invalid-request | jobId must match",
            "urls missing                    | {\"target\":\"testing\"} | invalid-request | urls is required",
            "simulate without urls.model     | {\"target\":\"simulate\"," + URLS + "} | invalid-request | urls.model is required by target",
            "urls.shacl missing              | {\"urls\":{\"knowledge\":\"http://127.0.0.1:9/k.ttl\"}} | invalid-request | urls.shacl is required",
            "urls.knowledge null             | {\"urls\":{\"knowledge\":null,\"shacl\":\"http://h/s\"}} | invalid-request | urls.knowledge is required",
            "url wrong type                  | {\"urls\":{\"knowledge\":[\"x\"],\"shacl\":\"http://h/s\"}} | invalid-request | urls.knowledge must be a string, got an array",
            "urls wrong type                 | {\"urls\":\"http://h/k\"} | invalid-request | urls must be an object",
            "file URL                        | {\"urls\":{\"knowledge\":\"file:///etc/passwd\",\"shacl\":\"http://h/s\"}} | invalid-request | http or https",
            "URL without host                | {\"urls\":{\"knowledge\":\"http:///x\",\"shacl\":\"http://h/s\"}} | invalid-request | must name a host",
            "target wrong type               | {\"target\":true," + URLS + "} | invalid-request | target must be a string",
            "context wrong type              | {\"context\":\"prod\"," + URLS + "} | invalid-request | context must be an object",
            "namespace not a DNS label       | {\"context\":{\"namespace\":\"Bad_NS\"}," + URLS + "} | invalid-request | context.namespace must be a DNS-1123 label",
            "deployment not a DNS label      | {\"context\":{\"deployment\":\"-x\"}," + URLS + "} | invalid-request | context.deployment must be a DNS-1123 label",
            "parallelism zero                | {\"context\":{\"parallelism\":0}," + URLS + "} | invalid-request | context.parallelism must be an integer from 1 to 256 (the parallelism of the Flink job of the deployment), got 0",
            "parallelism above the bound     | {\"context\":{\"parallelism\":257}," + URLS + "} | invalid-request | context.parallelism must be an integer from 1 to 256",
            "parallelism a fraction          | {\"context\":{\"parallelism\":1.5}," + URLS + "} | invalid-request | got 1.5",
            "parallelism a string            | {\"context\":{\"parallelism\":\"2\"}," + URLS + "} | invalid-request | context.parallelism must be an integer from 1 to 256 (the parallelism of the Flink job of the deployment), got a string",
            "unknown top-level field         | {\"url\":{}," + URLS + "} | unknown-field | unknown field url",
            "unknown context field           | {\"context\":{\"namespce\":\"iff\"}," + URLS + "} | unknown-field | context.namespce",
            "unknown input name              | {\"urls\":{\"knowledge\":\"http://h/k\",\"shacl\":\"http://h/s\",\"modell\":\"http://h/m\"}} | unknown-field | urls.modell",
            "unknown target                  | {\"target\":\"nope\"," + URLS + "} | unknown-target | available targets",
    })
    void refusesWithProblem(String name, String body, String type, String detail) {
        given().contentType("application/json").body(body).post("/jobs").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/" + type))
                .body("status", equalTo(400))
                .body("detail", containsString(detail))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void unknownTargetListsTheAvailableOnes() {
        given().contentType("application/json").body("{\"target\":\"deploy-all\"," + URLS + "}").post("/jobs").then()
                .statusCode(400)
                .body("availableTargets", hasItem("testing"))
                .body("availableTargets", hasItem("validate"))
                .body("detail", containsString("testing"));
    }

    @Test
    void everyTargetOfTheReferenceIsServed() {
        // the reference FlinkJobRunner's target names, plus validate, undeploy and simulate: all run here
        java.util.List<String> served = given().get("/targets").then().statusCode(200).extract().jsonPath()
                .getList("targets.name");
        for (String name : java.util.List.of("setup", "build", "plan", "flink-deploy", "flink-undeploy",
                "setup-and-deploy", "deploy", "undeploy", "validate", "simulate")) {
            org.junit.jupiter.api.Assertions.assertTrue(served.contains(name), name + " not in " + served);
        }
    }

    @Test
    void reportsAllErrorsOfARequestAtOnce() {
        given().contentType("application/json")
                .body("{\"jobId\":\"../x\",\"urls\":{\"knowledge\":\"ftp://h/k\"}}").post("/jobs").then()
                .statusCode(400)
                .body("errors.size()", equalTo(3));
    }

    @Test
    void doesNotEchoSecretsOfInvalidUrls() {
        given().contentType("application/json")
                .body("{\"urls\":{\"knowledge\":\"http://h/a b?sig=topsecret\",\"shacl\":\"http://h/s\"}}")
                .post("/jobs").then()
                .statusCode(400)
                .body(not(containsString("topsecret")));
    }
}
