package io.flinkjobrunner.service.testing;

import io.restassured.path.json.JsonPath;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static io.restassured.RestAssured.given;

/** Helpers for tests that drive the job API. */
public final class Jobs {

    private Jobs() {
    }

    /** A submission body for the given target with two loopback URLs. */
    public static String body(String jobId, String target, String knowledgeUrl, String shaclUrl) {
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"" + target + "\",\"urls\":{\"knowledge\":\"" + knowledgeUrl
                + "\",\"shacl\":\"" + shaclUrl + "\"}}";
    }

    /** Submits and expects 202. */
    public static void submit(String body) {
        given().contentType("application/json").body(body).post("/jobs").then().statusCode(202);
    }

    /** Polls until the job reaches one of the states. */
    public static JsonPath awaitStatus(String jobId, Duration timeout, String... states) {
        Set<String> wanted = Set.of(states);
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonPath job = given().get("/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
            if (wanted.contains(job.getString("status"))) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + jobId + " still " + job.getString("status") + " after " + timeout
                        + ", wanted " + wanted + ": " + job.prettify());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
