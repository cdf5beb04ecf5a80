package io.flinkjobrunner.sparql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.rdf4j.model.Model;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.Simulation;
import io.flinkjobrunner.engine.SimulationRequest;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.topics.TopicRecord;
import io.flinkjobrunner.topics.Topics;

/**
 * Benchmark (not a test): the kms-rules/test3 unit (property checks + 3 SPARQL rules) on the local engine over N
 * copies of model2's plant (cutter, filter, cartridge, workpiece). Run as described in docs/benchmarks.md.
 */
public final class RuleThroughputBenchmark {

    private RuleThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int copies = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path dir = Path.of("compiler/src/test/resources/kms/kms-rules/test3");
        Model shapes = TestKnowledge.parse(Files.readString(dir.resolve("shacl.ttl")));
        Model knowledge = TestKnowledge.parse(Files.readString(dir.resolve("knowledge.ttl")));
        DeploymentUnit unit = PlannerCheck.compile(knowledge, shapes, CompileOptions.defaults("bench"));
        String template = Files.readString(dir.resolve("model2.jsonld")).strip();
        template = template.substring(1, template.length() - 1); // the entities of the array
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < copies; i++) {
            json.append(i == 0 ? "" : ",").append(template.replace(":1\"", ":" + i + "\""));
        }
        json.append("]");
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.coreOnly()).map(json.toString(), "bench",
                IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z")));
        try (LocalEngine engine = LocalEngine.start()) {
            Topics topics = unit.topics().withPrefix("bench" + copies + ".");
            List<TopicRecord> records = new ArrayList<>(unit.records(topics));
            List<TopicRecord> model = data.toTopicRecords(topics);
            records.addAll(model);
            List<String> all = List.of(topics.entities(), topics.attributes(), topics.attributesInsert(),
                    topics.alertsBulk(), topics.rdf(), topics.constraints(), topics.combinations());
            Simulation simulation = engine.simulate(new SimulationRequest(unit.script(), all, records,
                    List.of(topics.attributesInsert(), topics.alertsBulk()), Duration.ofMinutes(10), Map.of(
                            unit.topics().entities(), topics.entities(), unit.topics().attributes(), topics.attributes(),
                            unit.topics().attributesInsert(), topics.attributesInsert(), unit.topics().alertsBulk(),
                            topics.alertsBulk(), unit.topics().rdf(), topics.rdf(), unit.topics().constraints(),
                            topics.constraints(), unit.topics().combinations(), topics.combinations())));
            Duration job = simulation.jobDuration();
            int inferred = simulation.materialized(topics.attributesInsert()).size();
            System.out.printf("%d plants: %d entity/attribute records, job %d ms (%.0f records/s), %d inferred"
                    + " attributes, %d alerts%n", copies, model.size(), job.toMillis(),
                    model.size() * 1000.0 / Math.max(1, job.toMillis()), inferred,
                    simulation.materialized(topics.alertsBulk()).size());
        }
    }
}
