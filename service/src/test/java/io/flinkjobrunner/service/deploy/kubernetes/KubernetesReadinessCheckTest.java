package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.testing.Await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The booted service while Kubernetes deploy is configured and the API server cannot be reached: the replica stays
 * ready (targets that need no cluster keep working), the outage is in the readiness data, answered from the
 * background check's cache, and a target that needs the cluster fails naming it.
 */
@QuarkusTest
@TestProfile(KubernetesUnreachableProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KubernetesReadinessCheckTest {

    @Test
    void anUnreachableApiServerDoesNotTakeTheReplicaOutOfService() throws InterruptedException {
        Await.until("the background check ran", Duration.ofSeconds(60),
                () -> given().get("/q/health/ready").asString().contains("unreachable"),
                () -> given().get("/q/health/ready").asString());
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'kubernetes-deploy' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kubernetes-deploy' }.data.kubernetes",
                        containsString("FAIL API server: unreachable at http://127.0.0.1:1"))
                .body("checks.find { it.name == 'kubernetes-deploy' }.data.kubernetes",
                        containsString("deploy targets fail until it answers, the other targets work"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/targets").then().statusCode(200);
        Jobs.submit("{\"jobId\":\"unreachable-setup\",\"target\":\"setup\"}");
        JsonPath setup = Jobs.awaitStatus("unreachable-setup", Duration.ofMinutes(2), "SUCCEEDED", "FAILED");
        org.junit.jupiter.api.Assertions.assertEquals("FAILED", setup.getString("status"));
        org.junit.jupiter.api.Assertions.assertTrue(setup.getString("lastError").contains(
                "FAIL API server: unreachable at http://127.0.0.1:1"), setup.getString("lastError"));
    }
}
