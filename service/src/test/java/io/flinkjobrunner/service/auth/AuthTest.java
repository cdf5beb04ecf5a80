package io.flinkjobrunner.service.auth;

import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** Bearer JWTs verified against a configured public key; roles submit/read/cancel from the groups claim. */
@QuarkusTest
@TestProfile(AuthTest.AuthEnabled.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class AuthTest {

    /** Authentication on, test key pair. */
    public static class AuthEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("runner.auth.enabled", "true",
                    "mp.jwt.verify.publickey.location", "jwt/public.pem",
                    "mp.jwt.verify.issuer", "https://issuer.test",
                    "smallrye.jwt.sign.key.location", "jwt/private.pem");
        }
    }

    private static String token(String... roles) {
        return Jwt.issuer("https://issuer.test").subject("tester").groups(Set.of(roles))
                .expiresIn(Duration.ofMinutes(5)).sign();
    }

    private static String body(String id) {
        return Jobs.body(id, "testing", "http://127.0.0.1:9/k", "http://127.0.0.1:9/s");
    }

    @Test
    void refusesRequestsWithoutValidToken() {
        given().get("/jobs").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://flinkjobrunner.io/problems/unauthorized"));
        given().auth().oauth2("not.a.jwt").get("/jobs").then().statusCode(401)
                .contentType("application/problem+json");
        String foreign = Jwt.issuer("https://other-issuer").groups(Set.of("jobs-read")).sign();
        given().auth().oauth2(foreign).get("/jobs").then().statusCode(401);
        given().header("Accept", "text/event-stream").get("/jobs/x/logs").then().statusCode(401)
                .contentType("application/problem+json");
        given().get("/jobs/x/logs").then().statusCode(401);
    }

    @Test
    void enforcesRolesPerOperation() {
        String reader = token("jobs-read");
        String submitter = token("jobs-submit", "jobs-read");
        String operator = token("jobs-cancel", "jobs-read");
        given().auth().oauth2(reader).contentType("application/json").body(body("auth-1")).post("/jobs").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/forbidden"));
        given().auth().oauth2(submitter).contentType("application/json").body(body("auth-1")).post("/jobs").then()
                .statusCode(202);
        given().auth().oauth2(reader).get("/jobs/auth-1").then().statusCode(200);
        given().auth().oauth2(reader).header("Accept", "text/event-stream").get("/jobs/auth-1/logs").then()
                .statusCode(200);
        given().auth().oauth2(submitter).post("/jobs/auth-1/cancel").then().statusCode(403);
        given().auth().oauth2(reader).delete("/jobs/auth-1").then().statusCode(403);
        for (int i = 0; i < 200; i++) {
            String s = given().auth().oauth2(reader).get("/jobs/auth-1").then().extract().path("status");
            if (s.equals("SUCCEEDED")) {
                break;
            }
        }
        given().auth().oauth2(operator).delete("/jobs/auth-1").then().statusCode(204);
        // the entity feed runs on the event loop: its role check is the same
        String entity = "{\"id\":\"urn:x\",\"type\":\"urn:T\"}";
        given().contentType("application/json").body(entity).post("/deployments/none/entities").then()
                .statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(reader).contentType("application/json").body(entity).post("/deployments/none/entities")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(submitter).contentType("application/json").body(entity)
                .post("/deployments/none/entities").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://flinkjobrunner.io/problems/deployment-not-found"));
        given().get("/healthz").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
