package io.flinkjobrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.topics.TopicRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with a persistent data directory (the service's embedded mode): topics, their configuration and their
 * records survive closing the engine and starting a new one on the same directory; topics are created and deleted
 * idempotently.
 */
class LocalEnginePersistenceTest {

    @Test
    void keepsTopicsAndRecordsAcrossARestart(@TempDir Path dir) {
        Path data = dir.resolve("kafka");
        try (LocalEngine engine = LocalEngine.start(data)) {
            Set<String> created = engine.ensureTopics(Map.of("kept", Map.of(), "compacted",
                    Map.of("cleanup.policy", "compact")));
            assertEquals(Set.of("kept", "compacted"), created);
            assertEquals(Set.of(), engine.ensureTopics(Map.of("kept", Map.of())), "existing topics are left alone");
            engine.publish(List.of(new TopicRecord("kept", "{\"id\":\"a\"}", "{\"v\":1}", 1_000L),
                    new TopicRecord("compacted", "{\"id\":\"a\"}", "{\"v\":2}", 2_000L)));
        }
        assertTrue(Files.isDirectory(data), "the data directory stays");
        try (LocalEngine engine = LocalEngine.start(data)) {
            List<TopicRecord> kept = engine.read("kept");
            assertEquals(1, kept.size());
            assertEquals("{\"v\":1}", kept.get(0).value());
            assertEquals(1_000L, kept.get(0).timestampMillis());
            assertEquals("{\"v\":2}", engine.read("compacted").get(0).value());
            assertEquals(Set.of("kept"), engine.deleteTopics(List.of("kept", "never-created")));
            assertEquals(Set.of(), engine.deleteTopics(List.of("kept")));
        }
    }
}
