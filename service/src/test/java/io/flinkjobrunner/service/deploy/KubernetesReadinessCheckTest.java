package io.flinkjobrunner.service.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The booted service is not ready while Kubernetes deploy is configured and the API server cannot be reached. */
@QuarkusTest
@TestProfile(KubernetesUnreachableProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KubernetesReadinessCheckTest {

    @Test
    void readinessIsDownWhenTheApiServerIsUnreachable() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kubernetes-deploy' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kubernetes-deploy' }.data.reason",
                        containsString("API server: unreachable at http://127.0.0.1:1"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
