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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.Test;

/**
 * The compiled unit keeps per-entity order at parallelism 2: the work/kms shapes (air filters, 100..155 operating
 * hours) deployed with {@code CompileOptions.parallelism} 2 on the local engine, fed interleaved updates of the same
 * filters (every filter updated in every round, the rounds one after the other in one topic), end with each filter's
 * alert as its last update says. Every update before a filter's last one violates with a value of its own, so the
 * alert text names the update it was raised for: a filter whose updates were applied out of order ends with another
 * value (or raised where its last update is valid).
 */
class ParallelOrderTest {

    private static final Duration RUNNING = Duration.ofMinutes(5);
    private static final Duration SETTLED = Duration.ofMinutes(3);
    private static final String BASE = "https://industry-fusion.org/base/v0.1/";
    private static final int FILTERS = 12;
    private static final int ROUNDS = 8;

    /** A Turtle file of the work/kms sample. */
    private static Model kms(String file) throws Exception {
        return Rio.parse(new StringReader(Files.readString(Path.of("../work/kms", file))), "", RDFFormat.TURTLE);
    }

    private static String filter(int index, int hours) {
        return "{\"id\":\"urn:filter:" + index + "\",\"type\":\"" + BASE + "airFilter\",\"" + BASE
                + "operating_hours\":{\"type\":\"Property\",\"value\":" + hours + "}}";
    }

    /** Hours of filter {@code index} in {@code round}: unique and violating, but valid for odd ones at the end. */
    private static int hours(int index, int round) {
        if (round == ROUNDS - 1 && index % 2 == 1) {
            return 120;
        }
        return 1000 + round * 100 + index;
    }

    @Test
    void interleavedUpdatesOfTheSameEntitiesEndWithTheAlertsOfTheirLastUpdatesAtParallelism2() throws Exception {
        Topics topics = Topics.defaults("parallel").withPrefix("parallel.");
        CompileOptions options = new CompileOptions(topics, "local-engine:9092", TableNames.reference())
                .withParallelism(2);
        DeploymentUnit unit = PlannerCheck.compile(kms("knowledge.ttl"), kms("shacl.ttl"), options);
        assertTrue(unit.script().contains("SET 'table.exec.resource.default-parallelism' = '2'"), unit.script());
        try (LocalEngine engine = LocalEngine.start()) {
            engine.createTopics(topics.all());
            engine.publish(unit.records(topics));
            LocalDeployment job = engine.deploy(unit.script(), null);
            run(engine, topics, job);
        }
    }

    private static void run(LocalEngine engine, Topics topics, LocalDeployment job) throws Exception {
        try {
            assertTrue(job.awaitRunning(RUNNING, () -> false), "the job did not run: " + job.status());
            assertEquals(2, job.parallelism(), "the job's operators run with the unit's parallelism");
            NgsiLdMapper mapper = new NgsiLdMapper(NgsiLdContexts.coreOnly());
            // one millisecond apart per round: the latest row of an attribute is the one with the latest timestamp
            Instant start = Instant.now();
            List<TopicRecord> records = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                Instant at = start.plusMillis(round);
                for (int i = 0; i < FILTERS; i++) {
                    records.addAll(mapper.map(filter(i, hours(i, round)), "round " + round, () -> at)
                            .toTopicRecords(topics));
                }
            }
            engine.publish(records);

            // the final alert set: the even filters' last updates violate, the odd ones' do not. An odd filter's
            // earlier alerts may never reach the topic at all (the settled sink drops a raise cleared within its
            // window), so "no alert" and "cleared" are the same final state
            Map<String, String> expected = new TreeMap<>();
            for (int i = 0; i < FILTERS; i += 2) {
                expected.put("urn:filter:" + i, "raised for " + hours(i, ROUNDS - 1));
            }
            long deadline = System.nanoTime() + SETTLED.toNanos();
            Map<String, String> actual = finalAlerts(engine, topics);
            while (!actual.equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                actual = finalAlerts(engine, topics);
            }
            assertEquals(expected, actual);
        } finally {
            job.cancel();
        }
    }

    /** The filters whose MaxInclusive alert stands, with the value its text names; cleared ones are absent. */
    private static Map<String, String> finalAlerts(LocalEngine engine, Topics topics) {
        Map<String, TopicRecord> latest = new LinkedHashMap<>();
        for (TopicRecord record : engine.read(topics.alertsBulk())) {
            if (record.key().contains("MaxInclusiveConstraintComponent")) {
                latest.put(record.key(), record);
            }
        }
        Map<String, String> states = new TreeMap<>();
        for (TopicRecord record : latest.values()) {
            String resource = record.key().replaceFirst(".*\"resource\":\"([^\"]+)\".*", "$1");
            if (record.value() == null) {
                states.remove(resource);
                continue;
            }
            String named = "raised for an update the text does not name: " + record.value();
            for (int round = 0; round < ROUNDS; round++) {
                int index = Integer.parseInt(resource.substring(resource.lastIndexOf(':') + 1));
                if (record.value().contains(Integer.toString(hours(index, round)))) {
                    named = "raised for " + hours(index, round);
                }
            }
            states.put(resource, named);
        }
        return states;
    }
}
