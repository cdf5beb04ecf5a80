package io.flinkjobrunner.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.compiler.ShaclCompiler;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.engine.LocalEngineException;
import io.flinkjobrunner.ngsild.IngestionClock;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.rdf.TurtleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One model as one scenario on the local engine: the reference's result, fresh topics removed afterwards, stop. */
class ModelScenarioTest {

    private static final Path TEST1 = Path.of("../compiler/src/test/resources/kms/kms-constraints/test1");
    private static final Path RULES = Path.of("../compiler/src/test/resources/kms/kms-rules/test3");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private static LocalEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static Model turtle(Path file) throws Exception {
        return TurtleReader.read(Files.readString(file), file.getFileName().toString()).model();
    }

    private static DeploymentUnit compile(Path dir) throws Exception {
        return new ShaclCompiler().assemble(turtle(dir.resolve("knowledge.ttl")), turtle(dir.resolve("shacl.ttl")),
                CompileOptions.defaults("scenario-test"));
    }

    private static NgsiLdData model(Path dir, String name) throws Exception {
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.coreOnly()).map(dir.resolve(name),
                IngestionClock.sequence(Instant.parse("2024-01-01T00:00:00Z")));
        return data.withEntityTypes(ReferenceEntityUniverse.of(turtle(dir.resolve("knowledge.ttl")),
                turtle(dir.resolve("shacl.ttl"))));
    }

    @Test
    void leavesTheReferenceResultAndRemovesItsTopics() throws Exception {
        ModelScenario scenario = new ModelScenario(compile(TEST1), model(TEST1, "model1.jsonld"), "s1.", false,
                TIMEOUT);

        ModelScenarioResult result = scenario.run(engine, () -> false);

        assertEquals(Files.readAllLines(TEST1.resolve("model1.jsonld_result")), result.alertLines());
        assertEquals(Map.of("warning", 2), result.severities());
        assertEquals("2 alerts (2 warning)", result.summary());
        assertEquals(Optional.empty(), result.insertLines());
        assertTrue(engine.topicNames().stream().noneMatch(topic -> topic.startsWith("s1.")), engine.topicNames()
                .toString());
    }

    @Test
    void readsTheRuleOutputOfUnitsWithRules() throws Exception {
        DeploymentUnit unit = compile(RULES);
        assertTrue(ModelScenario.infersAttributes(unit));
        assertFalse(ModelScenario.infersAttributes(compile(TEST1)));

        ModelScenarioResult result = new ModelScenario(unit, model(RULES, "model2.jsonld"), "s2.", true, TIMEOUT)
                .run(engine, () -> false);

        assertEquals(Files.readAllLines(RULES.resolve("model2.jsonld_result")), result.insertLines().orElseThrow());
    }

    @Test
    void aStopCancelsTheRunningJobAndRemovesItsTopics() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ModelScenario scenario = new ModelScenario(compile(TEST1), model(TEST1, "model2.jsonld"), "s3.", false,
                TIMEOUT);

        // the first question comes before the job is submitted, the next ones while it runs
        LocalEngineException e = assertThrows(LocalEngineException.class,
                () -> scenario.run(engine, () -> asked.incrementAndGet() > 1));

        assertEquals(LocalEngineException.Reason.CANCELLED, e.reason());
        assertTrue(asked.get() > 1, "stopped while the job ran");
        assertTrue(engine.topicNames().stream().noneMatch(topic -> topic.startsWith("s3.")));
    }

    @Test
    void summaryCountsEverySeverity() {
        ModelScenarioResult result = new ModelScenarioResult(List.of("a", "b", "c"),
                new java.util.TreeMap<>(Map.of("warning", 2, "critical", 1)), Optional.empty(), Duration.ZERO);
        assertEquals("3 alerts (1 critical, 2 warning)", result.summary());
        assertEquals("0 alerts", new ModelScenarioResult(List.of(), new java.util.TreeMap<>(), Optional.empty(),
                Duration.ZERO).summary());
    }
}
