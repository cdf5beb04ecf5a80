package io.flinkjobrunner.service.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.engine.LocalEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's one local engine: bounded scenarios, and scenario topics of an interrupted run removed at start. */
class EmbeddedEngineTest {

    @Test
    void runsAtMostTheConfiguredScenariosAtOnceAndAStopEndsTheWait(@TempDir Path dir) throws Exception {
        EmbeddedEngine embedded = new EmbeddedEngine(dir, 1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Optional<String>> first = other.submit(() -> embedded.scenario(() -> false, engine -> {
                entered.countDown();
                await(release);
                return "first";
            }));
            assertTrue(entered.await(2, TimeUnit.MINUTES), "the first scenario runs");
            assertTrue(embedded.scenarioSlotsBusy());

            AtomicInteger asked = new AtomicInteger();
            Optional<String> waited = embedded.scenario(() -> asked.incrementAndGet() >= 3, engine -> "never");
            assertEquals(Optional.empty(), waited, "no slot while the first runs; the stop ended the wait");
            assertEquals(3, asked.get());

            release.countDown();
            assertEquals(Optional.of("first"), first.get(1, TimeUnit.MINUTES));
            assertFalse(embedded.scenarioSlotsBusy());
            assertEquals(Optional.of("second"), embedded.scenario(() -> false, engine -> "second"));
        } finally {
            other.shutdownNow();
            embedded.close();
        }
    }

    @Test
    void deletesTheTopicsOfInterruptedScenariosWhenItStarts(@TempDir Path dir) {
        String scenario = LocalEngine.scenarioPrefix("crashed") + "iff.alerts.bulk";
        EmbeddedEngine before = new EmbeddedEngine(dir, 2);
        try {
            before.engine().ensureTopics(Map.of(scenario, Map.of(), "fjr.plant.rdf", Map.of()));
        } finally {
            before.close();
        }

        EmbeddedEngine after = new EmbeddedEngine(dir, 2);
        try {
            assertEquals(List.of("fjr.plant.rdf"), after.engine().topicNames().stream().toList(),
                    "the scenario's topic is gone, the deployment's stays");
        } finally {
            after.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
