package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's shape of input, on the local engine: the platform writes an entity's row and its attribute rows as
 * separate Kafka records, here 300 ms apart, well inside the unit's settle window. The compiled {@code work/kms}
 * unit (air filters, 100..155 operating hours) must publish exactly the true alerts, once each, and nothing for valid
 * entities and valid updates; without the settle stage the same input publishes false Count alerts.
 */
class SettledAlertsTest {

    private static final Duration RUNNING = Duration.ofMinutes(5);
    private static final Duration ALERT = Duration.ofMinutes(2);
    private static final Duration PLATFORM_DELAY = Duration.ofMillis(300);
    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();

    private static LocalEngine engine;
    private static Model knowledge;
    private static Model shapes;

    @BeforeAll
    static void start() throws Exception {
        engine = LocalEngine.start();
        Path kms = Path.of("../work/kms");
        knowledge = Rio.parse(new StringReader(Files.readString(kms.resolve("knowledge.ttl"))), "", RDFFormat.TURTLE);
        shapes = Rio.parse(new StringReader(Files.readString(kms.resolve("shacl.ttl"))), "", RDFFormat.TURTLE);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static String filter(String id, int hours) {
        return "{\"id\":\"" + id + "\",\"type\":\"" + BASE + "airFilter\",\"" + BASE + "operating_hours\":"
                + "{\"type\":\"Property\",\"value\":" + hours + "}}";
    }

    /** The records of filters with the given hours, entity rows and attribute rows as the platform writes them. */
    private static List<TopicRecord> records(Topics topics, String prefix, int count, int hours) throws Exception {
        List<String> entities = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entities.add(filter(prefix + i, hours));
        }
        return new NgsiLdMapper(NgsiLdContexts.coreOnly()).map("[" + String.join(",", entities) + "]", "test",
                () -> Instant.now()).toTopicRecords(topics);
    }

    private static List<TopicRecord> on(String topic, List<TopicRecord> records) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** Publishes entity rows, then after the platform's delay the attribute rows (two separate writes). */
    private static void publishSplit(Topics topics, List<TopicRecord> records) throws InterruptedException {
        engine.publish(on(topics.entities(), records));
        Thread.sleep(PLATFORM_DELAY.toMillis());
        engine.publish(on(topics.attributes(), records));
    }

    /** Every record of the alerts topic up to the first one about {@code resource}, which must arrive. */
    private static List<TopicRecord> alertsUpTo(Topics topics, String resource) throws InterruptedException {
        return AlertsTopic.upTo(engine, topics.alertsBulk(), resource, ALERT);
    }

    /** Deploys work/kms with {@code settleWindow}, runs the cluster-shaped scenario, returns the alert records. */
    private static List<TopicRecord> scenario(Duration settleWindow) throws Exception {
        Topics topics = Topics.defaults("settle").withPrefix("settle" + DEPLOYMENTS.incrementAndGet() + ".");
        DeploymentUnit unit = PlannerCheck.compile(knowledge, shapes, new CompileOptions(topics, "local-engine:9092",
                TableNames.reference()).withSettleWindow(settleWindow));
        engine.createTopics(topics.all());
        engine.publish(unit.records(topics));
        LocalDeployment job = engine.deploy(unit.script(), null);
        try {
            assertTrue(job.awaitRunning(RUNNING, () -> false), "the job did not run: " + job.status());
            // the sources are live once a first alert has come through
            engine.publish(records(topics, "urn:filter:warmup:", 1, 500));
            int warmup = alertsUpTo(topics, "urn:filter:warmup:0").size();

            publishSplit(topics, records(topics, "urn:filter:valid:", 10, 120));
            publishSplit(topics, records(topics, "urn:filter:invalid:", 5, 200));
            // valid updates: a new attribute row replaces the old one (the old row is retracted first)
            engine.publish(on(topics.attributes(), records(topics, "urn:filter:valid:", 10, 130)));
            // timers fire in time order: when the marker's alert is out, every earlier change has settled. Apart by
            // more than the sources' fetch wait (10 ms), so the marker is not read in one batch with the changes
            // before it, whose windows would then end in the same millisecond and settle in any order
            Thread.sleep(200);
            publishSplit(topics, records(topics, "urn:filter:marker:", 1, 300));
            List<TopicRecord> all = alertsUpTo(topics, "urn:filter:marker:0");
            return all.subList(warmup, all.size());
        } finally {
            job.cancel();
        }
    }

    @Test
    void splitEntityAndAttributeRecordsRaiseExactlyTheTrueAlertsOnce() throws Exception {
        List<TopicRecord> alerts = scenario(Duration.ofSeconds(1));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add("{\"resource\":\"urn:filter:invalid:" + i + "\",\"event\":\"MaxInclusiveConstraintComponent("
                    + BASE + "operating_hours[0])\"} raised");
        }
        expected.add("{\"resource\":\"urn:filter:marker:0\",\"event\":\"MaxInclusiveConstraintComponent("
                + BASE + "operating_hours[0])\"} raised");
        List<String> actual = new ArrayList<>(alerts.stream().map(AlertsTopic::describe).toList());
        // keys whose windows end together settle in any order; the marker's change came last
        actual.subList(0, actual.size() - 1).sort(null);
        assertEquals(expected, actual);
    }

    @Test
    void withoutTheSettleStageTheSameInputRaisesFalseCountAlerts() throws Exception {
        List<TopicRecord> alerts = scenario(Duration.ZERO);
        assertTrue(alerts.stream().anyMatch(r -> r.key().contains("CountConstraintComponent")),
                () -> "the entity row 300 ms before its attribute row fires the count check: "
                        + alerts.stream().map(AlertsTopic::describe).toList());
    }
}
