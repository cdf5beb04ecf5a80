package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.settle.SettledSinkNames;
import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The settle window against a job that lags: an entity's attribute record is written first and its entity record
 * right after (as the local ingest writes them), but the attribute's path through the job is {@value
 * SlowPath#LAG_MILLIS} ms slower than the window ({@link SlowPath}). The count check fires when the entity row
 * reaches the join and clears when the attribute row does. With sources that report their read progress the settle
 * stage waits for the slow path and publishes nothing; with plain sources it can only trust the wall clock and
 * publishes the false alert (the failure a loaded machine produced).
 */
class LaggingJobPathTest {

    private static final Duration RUNNING = Duration.ofMinutes(5);
    private static final Duration ALERT = Duration.ofMinutes(2);
    private static int deployments;

    private static LocalEngine engine;

    @BeforeAll
    static void start() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** A unit with one count check (an entity without an attribute row) whose attribute path is slow. */
    private static String unit(String prefix, String sourceConnector) {
        String source = "'connector' = '" + sourceConnector + "', 'properties.bootstrap.servers' = 'local:9092', "
                + "'scan.startup.mode' = 'earliest-offset', 'format' = 'json'";
        return "SET 'table.exec.sink.upsert-materialize' = 'NONE';\n"
                + "SET '" + SettledSinkNames.PROGRESS_INTERVAL_KEY + "' = '10 ms';\n"
                + "SET 'execution.buffer-timeout' = '10 ms';\n"
                + "CREATE TABLE entities (id STRING) WITH ('topic' = '" + prefix + "entities', " + source + ");\n"
                + "CREATE TABLE attributes (entityId STRING) WITH ('topic' = '" + prefix + "attributes', " + source
                + ");\n"
                + "CREATE TABLE alerts (resource STRING, event STRING, PRIMARY KEY (resource, event) NOT ENFORCED) "
                + "WITH ('connector' = '" + SettledSinkNames.IDENTIFIER + "', '" + SettledSinkNames.WINDOW_KEY
                + "' = '100 ms', 'topic' = '" + prefix + "alerts', 'properties.bootstrap.servers' = 'local:9092', "
                + "'key.format' = 'json', 'value.format' = 'json');\n"
                + "CREATE TEMPORARY FUNCTION SLOW_PATH AS '" + SlowPath.class.getName() + "';\n"
                + "EXECUTE STATEMENT SET BEGIN\n"
                + "INSERT INTO alerts SELECT e.id, 'Count' FROM entities e LEFT JOIN "
                + "(SELECT DISTINCT entityId FROM attributes WHERE SLOW_PATH(entityId)) a ON e.id = a.entityId "
                + "WHERE a.entityId IS NULL;\n"
                + "END;\n";
    }

    private static TopicRecord entity(String prefix, String id) {
        return new TopicRecord(prefix + "entities", null, "{\"id\":\"" + id + "\"}", null);
    }

    private static TopicRecord attribute(String prefix, String id) {
        return new TopicRecord(prefix + "attributes", null, "{\"entityId\":\"" + id + "\"}", null);
    }

    /** Runs the scenario and returns the alert records up to the marker's, which must arrive. */
    private static List<String> scenario(String sourceConnector) throws Exception {
        String prefix = "lag" + (++deployments) + ".";
        engine.createTopics(List.of(prefix + "entities", prefix + "attributes", prefix + "alerts"));
        LocalDeployment job = engine.deploy(unit(prefix, sourceConnector), null);
        try {
            assertTrue(job.awaitRunning(RUNNING, () -> false), "the job did not run: " + job.status());
            // the sources are live once a first alert has come through
            engine.publish(List.of(entity(prefix, "urn:warmup")));
            int warmup = alertsUpTo(prefix, "urn:warmup").size();
            // one post: the attribute row first, then the entity row
            engine.publish(List.of(attribute(prefix, "urn:slow:1")));
            engine.publish(List.of(entity(prefix, "urn:slow:1")));
            Thread.sleep(SlowPath.LAG_MILLIS + 500);
            // an entity without attribute: its true alert settles after every change before it
            engine.publish(List.of(entity(prefix, "urn:marker")));
            List<String> all = alertsUpTo(prefix, "urn:marker");
            return all.subList(warmup, all.size());
        } finally {
            job.cancel();
        }
    }

    private static List<String> alertsUpTo(String prefix, String resource) throws InterruptedException {
        return AlertsTopic.upTo(engine, prefix + "alerts", resource, ALERT).stream().map(AlertsTopic::describe)
                .toList();
    }

    @Test
    void sourcesReportingProgressHoldTheTransientUntilTheSlowPathHasCaughtUp() throws Exception {
        assertEquals(List.of("{\"resource\":\"urn:marker\",\"event\":\"Count\"} raised"),
                scenario(SettledSinkNames.PROGRESS_KAFKA));
    }

    @Test
    void withPlainSourcesTheWallClockWindowPublishesTheTransient() throws Exception {
        assertEquals(List.of("{\"resource\":\"urn:slow:1\",\"event\":\"Count\"} raised",
                "{\"resource\":\"urn:slow:1\",\"event\":\"Count\"} cleared",
                "{\"resource\":\"urn:marker\",\"event\":\"Count\"} raised"), scenario("kafka"));
    }
}
