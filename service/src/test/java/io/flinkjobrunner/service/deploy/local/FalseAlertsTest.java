package io.flinkjobrunner.service.deploy.local;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.LiveSse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three counts, as a user sees them: the README's {@code work/kms} (air filters, 100..155 operating hours)
 * deployed on the local engine, one SSE viewer on its alerts, each entity posted in a request of its own. 100 new
 * valid filters and 100 valid updates (120 → 130) give no {@code alert} or {@code clear} event at all; 100 new filters
 * with 200 hours give exactly one event each, their MaxInclusive alert.
 *
 * <p>After each batch a marker filter with 300 hours is posted: its alert settles no earlier than every change posted
 * before it (in the same release at the earliest, whose alerts come in any order), so once the viewer has it and the
 * events of that release, any event the batch would cause has been delivered.
 */
@QuarkusTest
@TestProfile(LocalDeployProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FalseAlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEPLOY = Duration.ofMinutes(6);
    private static final Duration ALERT = Duration.ofSeconds(90);
    /** Longer than the alerts of one release take to reach the viewer one after the other (milliseconds). */
    private static final Duration SAME_RELEASE = Duration.ofSeconds(2);
    private static final String NAME = "counts";
    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final String TOO_HIGH = "MaxInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    private static final int ENTITIES = 100;

    @TestHTTPResource("/")
    URL base;

    private static LiveSse viewer;

    @Test
    @Order(0)
    void deploysTheQuickStartShapesAndWatchesTheAlerts() throws Exception {
        Jobs.submit("{\"jobId\":\"false-alerts-deploy\",\"target\":\"deploy\",\"urls\":{\"knowledge\":"
                + "\"http://127.0.0.1:9/airfilter-v1/knowledge.ttl\",\"shacl\":\"http://127.0.0.1:9/airfilter-v1/"
                + "shacl.ttl\"},\"context\":{\"deployment\":\"" + NAME + "\"}}");
        JsonPath job = Jobs.awaitStatus("false-alerts-deploy", DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
        assertEquals("SUCCEEDED", job.getString("status"), () -> given().get("/jobs/false-alerts-deploy/logs")
                .asString());
        viewer = LiveSse.open(URI.create(base.toString()).resolve("/deployments/" + NAME + "/alerts"), null);
    }

    private static void post(String id, int hours) {
        given().contentType("application/ld+json").body("{\"@context\":{\"base\":\"" + BASE + "\"},\"id\":\"" + id
                + "\",\"type\":\"base:airFilter\",\"base:operating_hours\":{\"type\":\"Property\",\"value\":" + hours
                + "}}").post("/deployments/" + NAME + "/entities").then().statusCode(202);
    }

    private static String describe(LiveSse.Event event) {
        try {
            JsonNode data = JSON.readTree(event.data());
            return event.event() + " " + data.path("resource").asText() + " " + data.path("event").asText();
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + event, e);
        }
    }

    /**
     * Posts the marker and returns every alert or clear event the viewer got up to the marker's, and those that came
     * with it: the marker's alert settles in the same release as the last changes posted before it at the earliest,
     * and the alerts of one release come in any order (a CI run saw the last filter's alert right after the
     * marker's), so the events that follow within {@link #SAME_RELEASE} belong to the batch too.
     */
    private static List<String> eventsUpToMarker(String marker) throws InterruptedException {
        post(marker, 300);
        Predicate<LiveSse.Event> alertOrClear = e -> e.event().equals("alert") || e.event().equals("clear");
        List<String> events = new ArrayList<>();
        while (true) {
            events.add(describe(viewer.await(alertOrClear, ALERT)));
            if (events.get(events.size() - 1).equals("alert " + marker + " " + TOO_HIGH)) {
                viewer.awaitQuiet(alertOrClear, SAME_RELEASE).forEach(e -> events.add(describe(e)));
                return events;
            }
        }
    }

    /** Posts {@link #ENTITIES} filters, one request each, and returns the events up to the marker's alert. */
    private static List<String> postFilters(String prefix, int hours, String marker) throws InterruptedException {
        for (int i = 0; i < ENTITIES; i++) {
            post(prefix + i, hours);
        }
        return eventsUpToMarker(marker);
    }

    @Test
    @Order(1)
    void newValidEntitiesRaiseNoAlert() throws Exception {
        assertEquals(List.of("alert urn:marker:1 " + TOO_HIGH), postFilters("urn:filter:valid:", 120, "urn:marker:1"));
    }

    @Test
    @Order(2)
    void validUpdatesRaiseNoAlert() throws Exception {
        assertEquals(List.of("alert urn:marker:2 " + TOO_HIGH), postFilters("urn:filter:valid:", 130, "urn:marker:2"));
    }

    @Test
    @Order(3)
    void newInvalidEntitiesRaiseExactlyTheirTrueAlertOnce() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            expected.add("alert urn:filter:invalid:" + i + " " + TOO_HIGH);
        }
        expected.sort(null);
        List<String> batch = new ArrayList<>(postFilters("urn:filter:invalid:", 200, "urn:marker:3"));
        assertTrue(batch.remove("alert urn:marker:3 " + TOO_HIGH), batch.toString());
        batch.sort(null);
        assertEquals(expected, batch, "one MaxInclusive alert per invalid filter, nothing else");
    }

    @Test
    @Order(4)
    void undeploys() throws Exception {
        viewer.close();
        Jobs.submit("{\"jobId\":\"false-alerts-undeploy\",\"target\":\"undeploy\",\"context\":{\"deployment\":\""
                + NAME + "\"}}");
        JsonPath job = Jobs.awaitStatus("false-alerts-undeploy", DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
        assertEquals("SUCCEEDED", job.getString("status"));
    }
}
