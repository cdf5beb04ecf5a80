package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final String TEMPERATURE = "https://example.org/temperature";

    private static LocalEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    /**
     * The reference's table layout: kafka {@code entities}/{@code attributes} tables with latest-row views, an
     * upsert-kafka source of limits (like {@code constraint_table}) and the upsert-kafka {@code alerts_bulk} sink.
     */
    private static String validationScript(Topics topics) {
        return tables(topics) + """
                -- one job: a ';' or '--' inside a literal must not split it
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO `alerts_bulk`
                  SELECT E.`id`, 'MaxInclusiveConstraintComponent(' || A.`name` || '[0])', 'Development',
                         ARRAY['SHACL Validator'], L.`severity`, 'customer',
                         'value ' || A.`attributeValue` || ' > ' || CAST(L.`maxValue` AS STRING) || '; -- too high'
                  FROM `entities_view` E
                  JOIN `attributes_view` A ON A.`entityId` = E.`id`
                  JOIN `limits` L ON L.`name` = A.`name`
                  WHERE TRY_CAST(A.`attributeValue` AS DOUBLE) > L.`maxValue`;
                END;
                """;
    }

    private static String tables(Topics topics) {
        return """
                SET 'table.exec.sink.upsert-materialize' = 'NONE';
                CREATE TABLE `entities` (`id` STRING, `type` STRING, `deleted` BOOLEAN,
                  `ts` TIMESTAMP(3) METADATA FROM 'timestamp', WATERMARK FOR `ts` AS `ts`) WITH (
                  'connector' = 'kafka', 'topic' = '%s', 'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
                  'scan.startup.mode' = 'latest-offset', 'format' = 'json', 'json.fail-on-missing-field' = 'false');
                CREATE TABLE `attributes` (`id` STRING, `parentId` STRING, `entityId` STRING, `name` STRING,
                  `nodeType` STRING, `valueType` STRING, `type` STRING, `attributeValue` STRING, `datasetId` STRING,
                  `unitCode` STRING, `lang` STRING, `deleted` BOOLEAN, `synced` BOOLEAN,
                  `ts` TIMESTAMP(3) METADATA FROM 'timestamp', WATERMARK FOR `ts` AS `ts`) WITH (
                  'connector' = 'kafka', 'topic' = '%s', 'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
                  'scan.startup.mode' = 'latest-offset', 'format' = 'json', 'json.fail-on-missing-field' = 'false');
                CREATE TABLE `limits` (`name` STRING, `maxValue` DOUBLE, `severity` STRING,
                  PRIMARY KEY (`name`) NOT ENFORCED) WITH (
                  'connector' = 'upsert-kafka', 'topic' = '%s', 'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
                  'key.format' = 'json', 'value.format' = 'json');
                CREATE TABLE `alerts_bulk` (`resource` STRING, `event` STRING, `environment` STRING,
                  `service` ARRAY<STRING>, `severity` STRING, `customer` STRING, `text` STRING,
                  PRIMARY KEY (`resource`, `event`) NOT ENFORCED) WITH (
                  'connector' = 'upsert-kafka', 'topic' = '%s', 'properties.bootstrap.servers' = 'my-cluster-kafka-bootstrap:9092',
                  'key.format' = 'json', 'value.format' = 'json');
                CREATE VIEW `entities_view` AS SELECT `id`, `type`, `deleted`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id` ORDER BY `ts` DESC) AS rownum FROM `entities`)
                  WHERE rownum = 1;
                CREATE VIEW `attributes_view` AS SELECT `id`, `entityId`, `name`, `attributeValue`, `datasetId`, `ts` FROM (
                  SELECT *, ROW_NUMBER() OVER (PARTITION BY `id`, `datasetId` ORDER BY `ts` DESC) AS rownum
                  FROM `attributes`) WHERE rownum = 1;
                """.formatted(topics.entities(), topics.attributes(), topics.constraints(), topics.alertsBulk());
    }

    private static Topics freshTopics() {
        return Topics.defaults("engine-test").withPrefix("scenario" + SCENARIOS.incrementAndGet() + ".");
    }

    @Test
    void feedsBoundedRunAndMaterializesAlertsIncludingRetractions() throws Exception {
        Topics topics = freshTopics();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        List<TopicRecord> records = new ArrayList<>();
        records.add(limit(topics, TEMPERATURE, "{\"name\":\"" + TEMPERATURE + "\",\"maxValue\":50.0,\"severity\":\"warning\"}"));
        records.add(limit(topics, "https://example.org/pressure", "{\"name\":\"x\",\"maxValue\":1.0,\"severity\":\"major\"}"));
        records.add(limit(topics, "https://example.org/pressure", null));
        for (String machine : List.of("urn:machine:1", "urn:machine:2", "urn:machine:3")) {
            records.add(entity(topics, machine, base));
        }
        records.add(temperature(topics, "urn:machine:1", "60.5", base.plusMillis(1)));
        records.add(temperature(topics, "urn:machine:2", "70", base.plusMillis(2)));
        records.add(temperature(topics, "urn:machine:3", "20", base.plusMillis(3)));
        // machine 2 cools down later: its alert must be retracted (a tombstone on the alerts topic)
        records.add(temperature(topics, "urn:machine:2", "45", base.plusMillis(4)));
        records.add(pressure(topics, "urn:machine:3", "9", base.plusMillis(5)));

        Simulation simulation = engine.simulate(new SimulationRequest(validationScript(topics), topics.all(),
                records, List.of(topics.alertsBulk()), TIMEOUT));

        Map<String, String> alerts = simulation.materialized(topics.alertsBulk());
        assertEquals(1, alerts.size(), () -> "alerts: " + alerts);
        Map.Entry<String, String> alert = alerts.entrySet().iterator().next();
        assertEquals(JSON.readTree("{\"resource\":\"urn:machine:1\",\"event\":\"MaxInclusiveConstraintComponent("
                + TEMPERATURE + "[0])\"}"), JSON.readTree(alert.getKey()));
        JsonNode value = JSON.readTree(alert.getValue());
        assertEquals("warning", value.get("severity").asText());
        assertEquals("Development", value.get("environment").asText());
        assertEquals("SHACL Validator", value.get("service").get(0).asText());
        assertEquals("value 60.5 > 50.0; -- too high", value.get("text").asText());

        assertTrue(alerts.keySet().stream().noneMatch(key -> key.contains("urn:machine:2")
                || key.contains("urn:machine:3")), () -> "only machine 1 is too hot: " + alerts);
    }

    @Test
    void writesATombstoneWhenAnAlertIsRetracted() throws Exception {
        Topics topics = freshTopics();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        // one source, one partition, parallelism 1: rows are processed in offset order, so the alert for 70 is
        // emitted before the later 45 retracts it (with several sources the order across them is not fixed)
        String script = tables(topics) + """
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO `alerts_bulk`
                  SELECT A.`entityId`, 'MaxInclusiveConstraintComponent(' || A.`name` || '[0])', 'Development',
                         ARRAY['SHACL Validator'], 'warning', 'customer', 'value ' || A.`attributeValue` || ' > 50'
                  FROM `attributes_view` A
                  WHERE TRY_CAST(A.`attributeValue` AS DOUBLE) > 50;
                END;
                """;

        Simulation simulation = engine.simulate(new SimulationRequest(script, topics.all(), List.of(
                temperature(topics, "urn:machine:2", "70", base), temperature(topics, "urn:machine:2", "45",
                        base.plusMillis(1))), List.of(topics.alertsBulk()), TIMEOUT));

        List<TopicRecord> raw = simulation.records(topics.alertsBulk());
        assertEquals(2, raw.size(), () -> "records: " + raw);
        assertEquals("value 70 > 50", JSON.readTree(raw.get(0).value()).get("text").asText());
        assertEquals(raw.get(0).key(), raw.get(1).key());
        assertNull(raw.get(1).value(), "the retraction is a tombstone");
        assertEquals(Map.of(), simulation.materialized(topics.alertsBulk()));
    }

    @Test
    void runsOneScriptAsIndependentScenariosOnRenamedTopics() {
        Topics compiledFor = Topics.defaults("engine-test");
        String script = validationScript(compiledFor);
        Topics first = freshTopics();
        Topics second = freshTopics();
        Instant base = Instant.parse("2024-01-01T00:00:00Z");

        Simulation hot = engine.simulate(new SimulationRequest(script, first.all(), List.of(
                limit(first, TEMPERATURE, "{\"name\":\"" + TEMPERATURE + "\",\"maxValue\":50.0,\"severity\":\"critical\"}"),
                entity(first, "urn:machine:9", base), temperature(first, "urn:machine:9", "99", base.plusMillis(1))),
                List.of(first.alertsBulk()), TIMEOUT, compiledFor.renamesTo(first)));
        Simulation cold = engine.simulate(new SimulationRequest(script, second.all(), List.of(
                limit(second, TEMPERATURE, "{\"name\":\"" + TEMPERATURE + "\",\"maxValue\":50.0,\"severity\":\"critical\"}"),
                entity(second, "urn:machine:9", base), temperature(second, "urn:machine:9", "9", base.plusMillis(1))),
                List.of(second.alertsBulk()), TIMEOUT, compiledFor.renamesTo(second)));

        assertEquals(1, hot.materialized(first.alertsBulk()).size());
        assertEquals(Map.of(), cold.materialized(second.alertsBulk()));
    }

    @Test
    void surfacesAJobFailureWithFlinksRootCause() {
        Topics topics = freshTopics();
        String script = """
                CREATE TABLE `entities` (`id` STRING, `type` STRING) WITH ('connector' = 'kafka', 'topic' = '%s',
                  'properties.bootstrap.servers' = 'elsewhere:9092', 'format' = 'json',
                  'json.ignore-parse-errors' = 'false');
                CREATE TABLE `out` (`id` STRING) WITH ('connector' = 'kafka', 'topic' = '%s',
                  'properties.bootstrap.servers' = 'elsewhere:9092', 'format' = 'json');
                EXECUTE STATEMENT SET BEGIN INSERT INTO `out` SELECT `id` FROM `entities`; END;
                """.formatted(topics.entities(), topics.alertsBulk());

        LocalEngineException error = assertThrows(LocalEngineException.class, () -> engine.simulate(
                new SimulationRequest(script, topics.all(), List.of(new TopicRecord(topics.entities(), null,
                        "this is not JSON", null)), List.of(topics.alertsBulk()), TIMEOUT)));

        assertEquals(LocalEngineException.Reason.JOB_FAILED, error.reason());
        assertTrue(error.getMessage().startsWith("the Flink job failed: "), error.getMessage());
        assertTrue(error.getMessage().contains("this is not JSON") || error.getMessage().contains("Unrecognized token"),
                error.getMessage());
    }

    @Test
    void reportsAStatementFlinkRejects() {
        Topics topics = freshTopics();

        LocalEngineException error = assertThrows(LocalEngineException.class, () -> engine.simulate(
                new SimulationRequest("CREATE VIEW v AS SELECT nope FROM (VALUES (1)) AS t(x);",
                        topics.all(), List.of(), List.of(), TIMEOUT)));

        assertEquals(LocalEngineException.Reason.SCRIPT, error.reason());
        assertTrue(error.getMessage().startsWith("statement 1 (line 1: CREATE VIEW v AS SELECT nope"), error.getMessage());
    }

    @Test
    void cancelsAJobThatDoesNotFinishInTime() {
        String script = """
                CREATE TABLE `ticks` (`n` BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1');
                CREATE TABLE `sink` (`n` BIGINT) WITH ('connector' = 'blackhole');
                EXECUTE STATEMENT SET BEGIN INSERT INTO `sink` SELECT `n` FROM `ticks`; END;
                """;

        LocalEngineException error = assertThrows(LocalEngineException.class, () -> engine.simulate(
                new SimulationRequest(script, List.of(), List.of(), List.of(), Duration.ofSeconds(3))));

        assertEquals(LocalEngineException.Reason.TIMEOUT, error.reason());
        assertTrue(error.getMessage().contains("did not finish within PT3S and was cancelled"), error.getMessage());
    }

    @Test
    void refusesToReuseATopic() {
        Topics topics = freshTopics();
        engine.createTopics(List.of(topics.entities()));

        LocalEngineException error = assertThrows(LocalEngineException.class,
                () -> engine.createTopics(List.of(topics.entities())));

        assertEquals(LocalEngineException.Reason.KAFKA, error.reason());
        assertTrue(error.getMessage().contains("already exists"), error.getMessage());
    }

    @Test
    void aDeletedTopicStaysDeletedAndPublishingToAMissingTopicFailsClearly() {
        Topics topics = freshTopics();
        engine.createTopics(List.of(topics.entities()));
        engine.publish(List.of(new TopicRecord(topics.entities(), "k", "v", null)));
        assertEquals(java.util.Set.of(topics.entities()), engine.deleteTopics(List.of(topics.entities())));

        // a client that still asks for the topic (as a cancelled job's late-closing client may) does not bring it back
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, engine.bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true);
        try (KafkaConsumer<String, String> late = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            late.partitionsFor(topics.entities(), Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // no such topic: the expected answer
        }
        assertTrue(engine.topicNames().stream().noneMatch(topics.entities()::equals), engine.topicNames().toString());

        LocalEngineException error = assertThrows(LocalEngineException.class,
                () -> engine.publish(List.of(new TopicRecord(topics.entities(), "k", "v", null))));
        assertEquals(LocalEngineException.Reason.KAFKA, error.reason());
        assertTrue(error.getMessage().contains("topic '" + topics.entities() + "' does not exist"), error.getMessage());
    }

    @Test
    void deploysUnboundedAndCarriesStateAcrossAStopWithSavepoint(@TempDir Path savepoints) throws Exception {
        Topics topics = freshTopics();
        String script = """
                CREATE TABLE `events` (`machine` STRING) WITH ('connector' = 'kafka', 'topic' = '%s',
                  'properties.bootstrap.servers' = 'cluster:9092', 'scan.startup.mode' = 'latest-offset',
                  'format' = 'json');
                CREATE TABLE `counts` (`machine` STRING, `events` BIGINT, PRIMARY KEY (`machine`) NOT ENFORCED)
                  WITH ('connector' = 'upsert-kafka', 'topic' = '%s', 'properties.bootstrap.servers' = 'cluster:9092',
                  'key.format' = 'json', 'value.format' = 'json');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO `counts` SELECT `machine`, COUNT(*) FROM `events` GROUP BY `machine`;
                END;
                """.formatted(topics.entities(), topics.alertsBulk());
        engine.createTopics(List.of(topics.entities(), topics.alertsBulk()));

        LocalDeployment first = engine.deploy(script, null);
        awaitRunning(first);
        // latest-offset: publish only once the source is running, then wait for the count to show up
        publishUntilCounted(topics, 2);
        String savepoint = first.stopWithSavepoint(savepoints);
        assertEquals(JobStatus.FINISHED, first.status());

        engine.publish(List.of(event(topics)));
        LocalDeployment second = engine.deploy(script, savepoint);
        try {
            awaitRunning(second);
            // restored offsets and counts: the event published while stopped is read, and counted on top of 2
            assertEquals(3, awaitCount(topics, 3));
        } finally {
            second.cancel();
        }
    }

    private static void awaitRunning(LocalDeployment deployment) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (deployment.status() != JobStatus.RUNNING) {
            assertTrue(System.nanoTime() < deadline, "the deployment did not start");
            Thread.sleep(100);
        }
    }

    private static void publishUntilCounted(Topics topics, long count) throws Exception {
        long published = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (currentCount(topics) < count) {
            assertTrue(System.nanoTime() < deadline, "the deployment never counted " + count + " events");
            if (published < count) {
                engine.publish(List.of(event(topics)));
                published++;
            }
            Thread.sleep(200);
            if (published == count && currentCount(topics) == 0) {
                // the source may have started after the first events; they are not counted with latest-offset
                published = 0;
            }
        }
    }

    private static long awaitCount(Topics topics, long expected) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long count;
        while ((count = currentCount(topics)) < expected) {
            assertTrue(System.nanoTime() < deadline, "count stayed at " + count);
            Thread.sleep(200);
        }
        return count;
    }

    private static long currentCount(Topics topics) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (TopicRecord record : engine.read(topics.alertsBulk())) {
            if (record.value() != null) {
                counts.put(record.key(), JSON.readTree(record.value()).get("events").asLong());
            }
        }
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static TopicRecord event(Topics topics) {
        return new TopicRecord(topics.entities(), null, "{\"machine\":\"urn:machine:1\"}", null);
    }

    private static TopicRecord limit(Topics topics, String name, String value) {
        return new TopicRecord(topics.constraints(), "{\"name\":\"" + name + "\"}", value, null);
    }

    private static TopicRecord entity(Topics topics, String id, Instant ts) {
        return new TopicRecord(topics.entities(), "{\"id\":\"" + id + "\"}",
                "{\"id\":\"" + id + "\",\"type\":\"https://example.org/Machine\",\"deleted\":null}", ts.toEpochMilli());
    }

    private static TopicRecord temperature(Topics topics, String machine, String value, Instant ts) {
        return attribute(topics, machine, TEMPERATURE, value, ts);
    }

    private static TopicRecord pressure(Topics topics, String machine, String value, Instant ts) {
        return attribute(topics, machine, "https://example.org/pressure", value, ts);
    }

    private static TopicRecord attribute(Topics topics, String machine, String name, String value, Instant ts) {
        String id = machine + "\\\\" + name + "\\\\@none";
        return new TopicRecord(topics.attributes(), "{\"id\":\"" + id + "\",\"datasetId\":\"@none\"}",
                "{\"id\":\"" + id + "\",\"parentId\":null,\"entityId\":\"" + machine + "\",\"name\":\"" + name
                        + "\",\"nodeType\":\"@value\",\"valueType\":null,\"type\":\"https://uri.etsi.org/ngsi-ld/Property\","
                        + "\"attributeValue\":\"" + value + "\",\"datasetId\":\"@none\",\"unitCode\":null,\"lang\":null,"
                        + "\"deleted\":null,\"synced\":null}", ts.toEpochMilli());
    }
}
