package io.flinkjobrunner.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.ngsild.NgsiLdContexts;

/**
 * The generated shapes on the real pipeline: compiled by the production compiler and run on the local engine (in-process
 * Kafka + Flink), the stream verdict must match the expectation and the ShaclSail verdict for every scenario.
 */
class AlertAuthoringStreamTest {

    private static LocalEngine engine;
    private static AlertAuthoring authoring;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
        authoring = new AlertAuthoring(NgsiLdContexts.coreOnly(),
                new LocalEngineVerdicts(engine, Duration.ofMinutes(2)));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void streamAndShaclVerdictsAgreeOnEveryScenario(ComparisonOperator operator) throws AuthoringException {
        AlertCondition condition = new AlertCondition("temperature", operator, 75, "°c");
        String shape = authoring.generate(condition, AlertAuthoringTest.json(AlertAuthoringTest.CUTTER)).turtle();
        AlertRuleTest test = authoring.test(shape, AlertAuthoringTest.json(AlertAuthoringTest.CUTTER), condition,
                Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(3, test.scenarios().size());
        assertTrue(test.scenarios().stream().allMatch(s -> s.streamTriggered() != null));
        assertTrue(test.verdictsAgree(), () -> test.scenarios().toString());
        assertTrue(test.allPassed(), () -> test.scenarios() + " " + test.notes());
        assertEquals(java.util.List.of(), test.notes());
    }
}
