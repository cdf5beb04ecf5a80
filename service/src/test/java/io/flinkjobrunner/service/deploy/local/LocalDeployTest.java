package io.flinkjobrunner.service.deploy.local;

import io.flinkjobrunner.service.testing.Await;
import io.flinkjobrunner.service.engine.EmbeddedEngine;
import io.flinkjobrunner.service.targets.build.PlannerWarmUp;
import io.flinkjobrunner.planner.PlannerCheck;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.service.testing.EmbeddedPostgresResource;
import io.flinkjobrunner.service.testing.InputServer;
import io.flinkjobrunner.service.testing.Jobs;
import io.flinkjobrunner.service.testing.LiveSse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local target end to end through the API, on the embedded engine: deploy the sample air-filter shapes, feed
 * entities, watch the alerts (SSE with resume, several viewers, JSON current set), redeploy new shapes keeping the
 * entities fed before, undeploy. One deployment walks through the steps in order (a Flink job start costs tens of
 * seconds on a busy machine).
 */
@QuarkusTest
@TestProfile(LocalDeployProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalDeployTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEPLOY = Duration.ofMinutes(6);
    private static final Duration ALERT = Duration.ofSeconds(90);
    private static final String NAME = "filters";
    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final String TOO_HIGH = "MaxInclusiveConstraintComponent(" + BASE + "operating_hours[0])";
    /** Resources of the alerts the window test writes to the topic itself. */
    private static final String WINDOW = "urn:window:";
    private static final String TOO_LOW = "MinInclusiveConstraintComponent(" + BASE + "operating_hours[0])";

    @TestHTTPResource("/")
    URL base;
    @Inject
    EmbeddedEngine embedded;
    @Inject
    PlannerWarmUp plannerWarmUp;

    private static String deployBody(String jobId, String target, String scenario) {
        return "{\"jobId\":\"" + jobId + "\",\"target\":\"" + target + "\",\"urls\":{\"knowledge\":"
                + "\"http://127.0.0.1:9/" + scenario + "/knowledge.ttl\",\"shacl\":\"http://127.0.0.1:9/" + scenario
                + "/shacl.ttl\"},\"context\":{\"deployment\":\"" + NAME + "\",\"kubeContext\":\"ignored\"}}";
    }

    private static String filter(String id, int hours) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + BASE + "airFilter\",\"" + BASE + "operating_hours\":"
                + "{\"type\":\"Property\",\"value\":" + hours + "}}";
    }

    private static JsonPath deploy(String jobId, String target, String scenario) {
        Jobs.submit(deployBody(jobId, target, scenario));
        JsonPath job = Jobs.awaitStatus(jobId, DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
        assertEquals("SUCCEEDED", job.getString("status"), () -> job.prettify() + "\n" + log(jobId));
        return job;
    }

    private static String log(String jobId) {
        return given().get("/jobs/" + jobId + "/logs").asString();
    }

    private URI alertsUri(String name) {
        return URI.create(base.toString()).resolve("/deployments/" + name + "/alerts");
    }

    private static void post(String name, String body, int status) {
        given().contentType("application/json").body(body).post("/deployments/" + name + "/entities").then()
                .statusCode(status);
    }

    private static JsonNode data(LiveSse.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (Exception e) {
            throw new AssertionError("event data is not JSON: " + event, e);
        }
    }

    private static Predicate<LiveSse.Event> alert(String resource, String constraint, String severity) {
        return e -> e.event().equals("alert") && data(e).path("resource").asText().equals(resource)
                && data(e).path("event").asText().equals(constraint)
                && data(e).path("severity").asText().equals(severity);
    }

    private static Predicate<LiveSse.Event> clear(String resource, String constraint) {
        return e -> e.event().equals("clear") && data(e).path("resource").asText().equals(resource)
                && data(e).path("event").asText().equals(constraint);
    }

    /**
     * Awaits the clear of an alert on a stream opened after it was first cleared. The alert may have flapped since
     * (raised and cleared again while Flink retracted the old attribute row) and a catch-up from before the retained
     * window sends only the latest event of each alert, so the clear received is the first one or a later one.
     */
    private static LiveSse.Event awaitClearSince(LiveSse stream, LiveSse.Event cleared) throws InterruptedException {
        JsonNode key = data(cleared);
        LiveSse.Event event = stream.await(clear(key.path("resource").asText(), key.path("event").asText()), ALERT);
        assertTrue(Long.parseLong(event.id()) >= Long.parseLong(cleared.id()), event + " before " + cleared);
        return event;
    }

    /** The current alerts of the deployment as {@code resource|event|severity}. */
    private static Set<String> current(String name) {
        JsonPath set = given().accept("application/json").get("/deployments/" + name + "/alerts").then()
                .statusCode(200).extract().jsonPath();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < set.getList("alerts").size(); i++) {
            out.add(set.getString("alerts[" + i + "].resource") + "|" + set.getString("alerts[" + i + "].event") + "|"
                    + set.getString("alerts[" + i + "].severity"));
        }
        return Set.copyOf(out);
    }

    private static void awaitCurrent(String name, Predicate<Set<String>> wanted) {
        Await.until("the alert set matches", ALERT, () -> wanted.test(current(name)), () -> current(name));
    }

    @Test
    @Order(1)
    void deploysToTheLocalEngineAndListsTheDeployment() throws Exception {
        JsonPath job = deploy("local-deploy-1", "deploy", "airfilter-v1");
        assertFalse(plannerWarmUp.idleSince(PlannerCheck.checks()), "a planner warm-up would stop: the engine runs");
        String log = log("local-deploy-1");
        assertTrue(log.contains("on the local backend"), log);
        assertTrue(log.contains("semantic data stored and published"), log);
        assertTrue(log.contains("without state"), log);
        assertNotNull(job.getString("status"));
        String stream = given().header("Accept", "text/event-stream").get("/jobs/local-deploy-1/logs").asString();
        assertTrue(stream.contains("\"jobState\":\"RUNNING\""), stream);
        assertTrue(stream.contains("\"deployment\":{\"name\":\"" + NAME + "\",\"status\":\"RUNNING\""), stream);
        given().get("/jobs/local-deploy-1/artifacts/local-deployment.json").then().statusCode(200);

        JsonPath list = given().get("/deployments").then().statusCode(200).extract().jsonPath();
        assertEquals(NAME, list.getString("deployments.find { it.name == '" + NAME + "' }.name"));
        assertEquals("RUNNING", list.getString("deployments.find { it.name == '" + NAME + "' }.status"));
        assertEquals("local", list.getString("deployments.find { it.name == '" + NAME + "' }.backend"));
        assertEquals("local-deploy-1", list.getString("deployments.find { it.name == '" + NAME + "' }.sourceJobId"));
        assertNotNull(list.getString("deployments.find { it.name == '" + NAME + "' }.since"));
        assertEquals("RUNNING", list.getString("deployments.find { it.name == '" + NAME + "' }.job.state"));
        assertNull(list.getString("deployments.find { it.name == '" + NAME + "' }.namespace"));
        given().get("/deployments/" + NAME).then().statusCode(200);
        given().get("/deployments/nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    @Order(2)
    void refusesBadEntitiesWithProblemDetails() throws Exception {
        given().contentType("application/json").body("[{\"id\": \"urn:x\",\n  \"type\": }]")
                .post("/deployments/" + NAME + "/entities").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/malformed-json"))
                .body("line", org.hamcrest.Matchers.equalTo(2))
                .body("column", org.hamcrest.Matchers.greaterThan(1));
        // a remote context takes the path of urls.model: fetched through the guarded downloader, or refused
        given().contentType("application/json").body("{\"@context\":\"http://10.1.2.3/unknown.jsonld\","
                + "\"id\":\"urn:x\",\"type\":\"T\"}").post("/deployments/" + NAME + "/entities").then().statusCode(400)
                .body("type", org.hamcrest.Matchers.endsWith("/context-unavailable"))
                .body("url", org.hamcrest.Matchers.equalTo("http://10.1.2.3/unknown.jsonld"))
                .body("detail", org.hamcrest.Matchers.containsString("http://10.1.2.3/unknown.jsonld"));
        try (InputServer contexts = new InputServer()) {
            contexts.put("/base.jsonld", "{\"@context\": {\"base\": \"https://industry-fusion.org/base/v0.1/\"}}");
            given().contentType("application/json").body("{\"@context\":\"" + contexts.url("/base.jsonld") + "\","
                    + "\"id\":\"urn:fetched:1\",\"type\":\"base:Unchecked\",\"base:note\":{\"type\":\"Property\","
                    + "\"value\":1,\"datasetId\":7}}").post("/deployments/" + NAME + "/entities").then().statusCode(202)
                    .body("attributes", org.hamcrest.Matchers.equalTo(1))
                    .body("warnings[0]", org.hamcrest.Matchers.containsString("datasetId 7 is not an IRI"));
        }
        // the same offline context map as urls.model (runner.ngsild.contexts): a mapped remote context is read locally
        given().contentType("application/json").body("{\"@context\":\"" + LocalDeployProfile.MAPPED_CONTEXT + "\","
                + "\"id\":\"urn:mapped:1\",\"type\":\"base:Unchecked\",\"base:note\":{\"type\":\"Property\","
                + "\"value\":1}}").post("/deployments/" + NAME + "/entities").then().statusCode(202)
                .body("attributes", org.hamcrest.Matchers.equalTo(1));
        given().contentType("application/json").body("{\"id\":\"urn:x\"}").post("/deployments/" + NAME + "/entities")
                .then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("/invalid-entity"));
        given().contentType("application/json").body("[]").post("/deployments/" + NAME + "/entities")
                .then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("/invalid-entity"));
        given().contentType("application/json").body(filter("urn:filter:x", 1))
                .post("/deployments/unknown/entities").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.endsWith("/deployment-not-found"));
        given().accept("application/json").get("/deployments/unknown/alerts").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.endsWith("/deployment-not-found"));
        given().header("Last-Event-ID", "-3").header("Accept", "text/event-stream")
                .get("/deployments/" + NAME + "/alerts").then().statusCode(400);
    }

    @Test
    @Order(3)
    void streamsAlertsLiveToSeveralViewersAndResumesFromLastEventId() throws Exception {
        try (LiveSse first = LiveSse.open(alertsUri(NAME), null);
             LiveSse second = LiveSse.open(alertsUri(NAME), null)) {
            given().contentType("application/ld+json").body("[" + filter("urn:filter:a", 200) + ","
                    + filter("urn:filter:b", 120) + "]").post("/deployments/" + NAME + "/entities").then()
                    .statusCode(202).body("entities", org.hamcrest.Matchers.equalTo(2))
                    .body("attributes", org.hamcrest.Matchers.equalTo(2));
            LiveSse.Event raised = first.await(alert("urn:filter:a", TOO_HIGH, "warning"), ALERT);
            assertEquals(raised, second.await(alert("urn:filter:a", TOO_HIGH, "warning"), ALERT),
                    "every viewer sees the same event with the same id");
            assertTrue(data(raised).path("text").asText().contains("200"), raised.data());
            awaitCurrent(NAME, set -> set.contains("urn:filter:a|" + TOO_HIGH + "|warning"));

            post(NAME, filter("urn:filter:a", 130), 202);
            // the fixed entity's alert is retracted: a property shape's alert row is deleted (a tombstone, "clear");
            // other alerts of the entity may flap on the way while Flink retracts the old attribute row
            LiveSse.Event cleared = first.await(clear("urn:filter:a", TOO_HIGH), ALERT);
            assertTrue(Long.parseLong(cleared.id()) > Long.parseLong(raised.id()));
            assertEquals(cleared, second.await(e -> e.equals(cleared), ALERT));
            awaitCurrent(NAME, set -> set.stream().noneMatch(a -> a.startsWith("urn:filter:a|" + TOO_HIGH)));

            // resumes exactly after an id inside the retained window
            try (LiveSse resumed = LiveSse.open(alertsUri(NAME), raised.id())) {
                LiveSse.Event clearedSince = awaitClearSince(resumed, cleared);
                post(NAME, filter("urn:filter:c", 50), 202);
                LiveSse.Event low = resumed.await(alert("urn:filter:c", TOO_LOW, "warning"), ALERT);
                assertTrue(Long.parseLong(low.id()) > Long.parseLong(clearedSince.id()));
                assertEquals(low, first.await(alert("urn:filter:c", TOO_LOW, "warning"), ALERT));
                assertTrue(resumed.seen().stream().allMatch(e -> Long.parseLong(e.id()) > Long.parseLong(raised.id())),
                        "nothing up to the Last-Event-ID is sent again: " + resumed.seen());
            }
            // from the first id: everything since, in order (the window itself is proven with known events below)
            try (LiveSse old = LiveSse.open(alertsUri(NAME), "0")) {
                awaitClearSince(old, cleared);
                old.await(alert("urn:filter:c", TOO_LOW, "warning"), ALERT);
                List<LiveSse.Event> replay = old.seen();
                for (int i = 1; i < replay.size(); i++) {
                    assertTrue(Long.parseLong(replay.get(i - 1).id()) < Long.parseLong(replay.get(i).id()),
                            "ids ascend: " + replay);
                }
            }
        }
        // the JSON set resumes exactly into the stream
        JsonPath set = given().accept("application/json").get("/deployments/" + NAME + "/alerts").then()
                .statusCode(200).extract().jsonPath();
        String lastEventId = set.getString("lastEventId");
        try (LiveSse tail = LiveSse.open(alertsUri(NAME), lastEventId)) {
            post(NAME, filter("urn:filter:c", 140), 202);
            LiveSse.Event next = tail.next(ALERT);
            assertEquals("urn:filter:c", data(next).path("resource").asText(), next.toString());
            assertTrue(Long.parseLong(next.id()) > Long.parseLong(lastEventId));
        }
    }

    @Test
    @Order(4)
    void resumesExactlyInsideTheRetainedWindowAndWithTheLatestStatesBeforeIt() throws Exception {
        // written straight to the deployment's alerts topic, so which events exist is known exactly (the running
        // job's output may flap); resources of their own keep them apart from the job's alerts
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                embedded.engine().bootstrapServers());
        String topic = LocalTopics.of(NAME).alertsBulk();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer()); LiveSse viewer = LiveSse.open(alertsUri(NAME), null)) {
            List<LiveSse.Event> first = publish(producer, topic, viewer, "1+", "2+", "1-", "3+");
            try (LiveSse resumed = LiveSse.open(alertsUri(NAME), first.get(0).id())) {
                assertEquals(first.subList(1, 4), take(resumed, 3), "exactly the events after the id");
            }
            // 1 flips until the four events above are out of the retained window (the test profile keeps 4000 bytes)
            String[] flips = new String[60];
            for (int i = 0; i < flips.length; i++) {
                flips[i] = i % 2 == 0 ? "1+" : "1-";
            }
            List<LiveSse.Event> flipped = publish(producer, topic, viewer, flips);
            try (LiveSse resumed = LiveSse.open(alertsUri(NAME), first.get(0).id())) {
                // the latest event of every alert that changed after the id, in offset order: 2 and 3 are still
                // raised, 1 is cleared; none of the intermediate states
                assertEquals(List.of(first.get(1), first.get(3), flipped.get(flipped.size() - 1)), take(resumed, 3));
            }
            publish(producer, topic, viewer, "2-", "3-");
        }
        awaitCurrent(NAME, set -> set.stream().noneMatch(a -> a.startsWith(WINDOW)));
    }

    /**
     * Writes alert changes of {@code urn:window:N} ({@code "N+"} raised, {@code "N-"} cleared) to the alerts topic
     * and returns them as {@code viewer} receives them.
     */
    private static List<LiveSse.Event> publish(KafkaProducer<String, String> producer, String topic, LiveSse viewer,
            String... changes) throws Exception {
        for (String change : changes) {
            String resource = WINDOW + change.charAt(0);
            String key = "{\"resource\":\"" + resource + "\",\"event\":\"WindowConstraintComponent\"}";
            String value = change.endsWith("+") ? "{\"resource\":\"" + resource
                    + "\",\"event\":\"WindowConstraintComponent\",\"severity\":\"warning\"}" : null;
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        }
        List<LiveSse.Event> received = take(viewer, changes.length);
        for (int i = 0; i < changes.length; i++) {
            assertEquals(changes[i].endsWith("+") ? "alert" : "clear", received.get(i).event(), received.toString());
            assertEquals(WINDOW + changes[i].charAt(0), data(received.get(i)).path("resource").asText());
        }
        return received;
    }

    /** The next {@code count} events of the {@code urn:window:} resources. */
    private static List<LiveSse.Event> take(LiveSse stream, int count) throws InterruptedException {
        List<LiveSse.Event> events = new ArrayList<>();
        while (events.size() < count) {
            events.add(stream.await(e -> data(e).path("resource").asText().startsWith(WINDOW), ALERT));
        }
        return events;
    }

    @Test
    @Order(5)
    void redeployKeepsTheEntitiesFedBefore() throws Exception {
        awaitCurrent(NAME, set -> !set.contains("urn:filter:c|" + TOO_LOW + "|warning"));
        try (LiveSse viewer = LiveSse.open(alertsUri(NAME), null)) {
            deploy("local-deploy-2", "flink-deploy", "airfilter-v2");
            String log = log("local-deploy-2");
            assertTrue(log.contains("Upgrading"), log);
            assertTrue(log.contains("with savepoint"), log);
            // v2 accepts 250..300: every filter fed before the redeploy is now too low, without being fed again
            Set<String> low = new java.util.HashSet<>(Set.of("urn:filter:a", "urn:filter:b", "urn:filter:c"));
            while (!low.isEmpty()) {
                LiveSse.Event event = viewer.await(e -> e.event().equals("alert")
                        && data(e).path("event").asText().equals(TOO_LOW)
                        && data(e).path("severity").asText().equals("warning"), ALERT);
                low.remove(data(event).path("resource").asText());
            }
        }
        awaitCurrent(NAME, set -> set.containsAll(List.of("urn:filter:a|" + TOO_LOW + "|warning",
                "urn:filter:b|" + TOO_LOW + "|warning", "urn:filter:c|" + TOO_LOW + "|warning")));
        JsonPath list = given().get("/deployments").then().statusCode(200).extract().jsonPath();
        assertEquals("local-deploy-2", list.getString("deployments.find { it.name == '" + NAME + "' }.sourceJobId"));
    }

    @Test
    @Order(6)
    void redeployWithChangedSqlReplaysTheTopicsAndClearsAlertsOnlyTheOldUnitRaised() throws Exception {
        // v3 adds a SPARQL constraint: another job graph, so v2's savepoint does not fit and the job replays its
        // topics; nothing is fed again. Bounds 100..125: a (130) and c (140) too high, b (120) fine; c past 135.
        deploy("local-deploy-3", "deploy", "airfilter-v3");
        String log = log("local-deploy-3");
        assertTrue(log.contains("does not fit"), log);
        assertTrue(log.contains("submitted without state"), log);
        assertEquals("kafka", given().get("/deployments/" + NAME).then().statusCode(200).extract().jsonPath()
                .getString("job.stateFrom"));
        awaitCurrent(NAME, set -> set.containsAll(List.of("urn:filter:a|" + TOO_HIGH + "|warning",
                "urn:filter:c|" + TOO_HIGH + "|warning"))
                && set.stream().anyMatch(a -> a.startsWith("urn:filter:c|SPARQLConstraintComponent(")
                        && !a.endsWith("|ok"))
                && set.stream().noneMatch(a -> a.contains(TOO_LOW))
                && set.stream().noneMatch(a -> a.startsWith("urn:filter:b|") && !a.endsWith("|ok")));

        // back to v1 (100..155, no SPARQL constraint): the job that raised the SPARQL alerts is gone and the new one
        // has no such check, so nothing it replays would ever retract them: the deploy clears them first
        deploy("local-deploy-4", "deploy", "airfilter-v1");
        String back = log("local-deploy-4");
        assertTrue(back.contains("does not fit"), back);
        post(NAME, filter("urn:filter:d", 300), 202);
        awaitCurrent(NAME, set -> set.equals(Set.of("urn:filter:d|" + TOO_HIGH + "|warning")));
        assertTrue(back.contains("cleared the"), back);
    }

    @Test
    @Order(7)
    void theJobContextsParallelismIsTheUnitsAndMustFitTheEngine() {
        String two = deployBody("local-plan-parallel", "plan", "airfilter-v1").replace("\"context\":{",
                "\"context\":{\"parallelism\":2,");
        Jobs.submit(two);
        JsonPath plan = Jobs.awaitStatus("local-plan-parallel", DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
        assertEquals("SUCCEEDED", plan.getString("status"), () -> log("local-plan-parallel"));
        String unit = given().get("/jobs/local-plan-parallel/artifacts/unit.sql").then().statusCode(200).extract()
                .asString();
        assertTrue(unit.contains("SET 'table.exec.resource.default-parallelism' = '2'"), unit);
        String spec = given().get("/jobs/local-plan-parallel/artifacts/local-deployment.json").then().statusCode(200)
                .extract().asString();
        assertTrue(spec.contains("(parallelism 2)"), spec);

        String nine = deployBody("local-plan-wide", "plan", "airfilter-v1").replace("\"context\":{",
                "\"context\":{\"parallelism\":9,");
        Jobs.submit(nine);
        JsonPath wide = Jobs.awaitStatus("local-plan-wide", DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
        assertEquals("FAILED", wide.getString("status"), () -> log("local-plan-wide"));
        assertTrue(wide.getString("lastError").contains("parallelism 9 (context.parallelism) does not fit the local "
                + "engine: its MiniCluster has 8 task slots"), wide.prettify());
    }

    @Test
    @Order(8)
    void undeployRemovesTheDeploymentAndEndsItsStreams() throws Exception {
        try (LiveSse viewer = LiveSse.open(alertsUri(NAME), null)) {
            viewer.next(ALERT);
            Jobs.submit("{\"jobId\":\"local-undeploy-1\",\"target\":\"flink-undeploy\",\"context\":{\"deployment\":\""
                    + NAME + "\"}}");
            JsonPath job = Jobs.awaitStatus("local-undeploy-1", DEPLOY, "SUCCEEDED", "FAILED", "CANCELLED");
            assertEquals("SUCCEEDED", job.getString("status"), () -> log("local-undeploy-1"));
            LiveSse.Event done = viewer.await(e -> e.event().equals("done"), ALERT);
            assertTrue(done.data().contains("UNDEPLOYED"), done.toString());
        }
        String log = log("local-undeploy-1");
        assertTrue(log.contains("deleted topics"), log);
        assertFalse(embedded.engine().deleteTopics(List.of("fjr." + NAME + ".alerts.bulk")).contains(
                "fjr." + NAME + ".alerts.bulk"), "the alert topic is gone");
        given().contentType("application/json").body(filter("urn:filter:a", 200))
                .post("/deployments/" + NAME + "/entities").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("/deployment-not-running"))
                .body("detail", org.hamcrest.Matchers.containsString("UNDEPLOYED"));
        given().accept("application/json").get("/deployments/" + NAME + "/alerts").then().statusCode(409);
        assertEquals("UNDEPLOYED", given().get("/deployments/" + NAME).then().statusCode(200).extract().jsonPath()
                .getString("status"));
    }
}
