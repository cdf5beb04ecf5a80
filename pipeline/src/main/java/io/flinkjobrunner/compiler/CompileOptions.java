package io.flinkjobrunner.compiler;

import io.flinkjobrunner.topics.Topics;
import java.util.Objects;

/**
 * Options of one compilation.
 *
 * @param topics Kafka topics the unit reads and writes
 * @param bootstrapServers Kafka bootstrap servers written into every connector
 * @param tables Flink table and view names (prefix)
 */
public record CompileOptions(Topics topics, String bootstrapServers, TableNames tables) {

    public CompileOptions {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(tables, "tables");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
    }

    /** Reference topics for {@code deployment}, the reference's in-cluster bootstrap servers, no table prefix. */
    public static CompileOptions defaults(String deployment) {
        return new CompileOptions(Topics.defaults(deployment), "my-cluster-kafka-bootstrap:9092", TableNames.reference());
    }
}
