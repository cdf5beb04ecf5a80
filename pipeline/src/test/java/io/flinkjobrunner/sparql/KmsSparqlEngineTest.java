package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.Simulation;
import io.flinkjobrunner.engine.SimulationRequest;
import io.flinkjobrunner.ngsild.AttributeRow;
import io.flinkjobrunner.ngsild.EntityRow;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.planner.PlannerCheck;
import io.flinkjobrunner.topics.Topics;

/**
 * End to end: the reference's kms cases compiled by {@link ShaclCompiler} (SPARQL through the
 * {@link SparqlShapeTranslator} extension), models mapped by {@link NgsiLdMapper}, run on the local engine
 * (KRaft + MiniCluster). The SPARQL alert lines and the rule rows must equal the reference's expected files.
 */
class KmsSparqlEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static LocalEngine engine;

    @BeforeAll
    static void start() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Stream<Arguments> cases() throws IOException {
        return Stream.concat(KmsSparqlSuiteTest.cases("kms-constraints"), KmsSparqlSuiteTest.cases("kms-rules"))
                .filter(a -> !a.get()[0].toString().startsWith("test1/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReferenceThroughTheLocalEngine(String name, Path model) throws Exception {
        Path dir = model.getParent();
        Model shapes = TestKnowledge.parse(Files.readString(dir.resolve("shacl.ttl")));
        Model knowledge = TestKnowledge.parse(Files.readString(dir.resolve("knowledge.ttl")));
        DeploymentUnit unit = PlannerCheck.compile(knowledge, shapes, CompileOptions.defaults("kms"));
        Topics topics = unit.topics().withPrefix("sparql" + SCENARIOS.incrementAndGet() + ".");
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.coreOnly()).map(model,
                IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z")));
        // only entities whose type is a target class (or subclass) of a shape with sh:property exist (§2.5)
        Set<String> universe = TestModels.universe(shapes, TestKnowledge.closure(knowledge));
        List<EntityRow> entities = data.entities().stream().filter(e -> universe.contains(e.type())).toList();
        Set<String> ids = new java.util.HashSet<>();
        entities.forEach(e -> ids.add(e.id()));
        List<AttributeRow> attributes = data.attributes().stream().filter(a -> ids.contains(a.entityId())).toList();
        NgsiLdData scenario = new NgsiLdData(entities, attributes, data.rdf());
        List<io.flinkjobrunner.topics.TopicRecord> records = new ArrayList<>(unit.records(topics));
        records.addAll(scenario.toTopicRecords(topics));
        List<String> all = List.of(topics.entities(), topics.attributes(), topics.attributesInsert(),
                topics.alertsBulk(), topics.rdf(), topics.constraints(), topics.combinations());
        Simulation simulation = engine.simulate(new SimulationRequest(unit.script(), all, records,
                List.of(topics.alertsBulk(), topics.attributesInsert()), Duration.ofMinutes(3),
                renames(unit.topics(), topics)));
        List<String> expected = Files.readAllLines(dir.resolve(model.getFileName() + "_result")).stream()
                .filter(l -> !l.isBlank()).toList();
        if (dir.getParent().getFileName().toString().equals("kms-rules")) {
            assertEquals(expected, RuleOutputLines.of(simulation.materialized(topics.attributesInsert()).values()));
        } else {
            List<String> actual = new ArrayList<>();
            for (String value : simulation.materialized(topics.alertsBulk()).values()) {
                JsonNode alert = JSON.readTree(value);
                if (alert.get("event").asText().startsWith(SparqlShapeCompiler.CONSTRAINT_COMPONENT)) {
                    actual.add(SqliteQuoteFormat.line(List.of(alert.get("resource").asText(),
                            alert.get("event").asText(), alert.get("severity").asText())));
                }
            }
            actual.sort(null);
            assertEquals(expected.stream().filter(l -> l.contains(SparqlShapeCompiler.CONSTRAINT_COMPONENT))
                    .sorted().toList(), actual);
        }
    }

    private static Map<String, String> renames(Topics from, Topics to) {
        return Map.of(from.entities(), to.entities(), from.attributes(), to.attributes(), from.attributesInsert(),
                to.attributesInsert(), from.alertsBulk(), to.alertsBulk(), from.rdf(), to.rdf(), from.constraints(),
                to.constraints(), from.combinations(), to.combinations());
    }
}
