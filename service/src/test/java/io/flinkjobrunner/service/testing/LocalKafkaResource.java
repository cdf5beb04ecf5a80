package io.flinkjobrunner.service.testing;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.topics.TopicRecord;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local engine's in-process KRaft broker as the Kafka of {@code @QuarkusTest}s that deploy: the service publishes
 * the semantic data there and the test reads it back. One broker per test JVM.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    private static LocalEngine engine;

    @Override
    public synchronized Map<String, String> start() {
        if (engine == null) {
            engine = LocalEngine.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> engine.close()));
        }
        return Map.of("runner.deploy.kafka.bootstrap-servers", engine.bootstrapServers());
    }

    @Override
    public void stop() {
        // shared across profiles; closed at JVM exit
    }

    /** The content of a compacted topic: the last value per key, tombstoned keys removed, in first-write order. */
    public static Map<String, String> materialized(LocalEngine broker, String topic) {
        Map<String, String> table = new LinkedHashMap<>();
        for (TopicRecord record : broker.read(topic)) {
            if (record.value() == null) {
                table.remove(record.key());
            } else {
                table.put(record.key(), record.value());
            }
        }
        return table;
    }

    /** The broker (started by {@link #start()}). */
    public static LocalEngine broker() {
        return engine;
    }
}
