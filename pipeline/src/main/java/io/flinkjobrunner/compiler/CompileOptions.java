package io.flinkjobrunner.compiler;

import io.flinkjobrunner.topics.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of one compilation.
 *
 * @param topics Kafka topics the unit reads and writes
 * @param bootstrapServers Kafka bootstrap servers written into every connector
 * @param tables Flink table and view names (prefix)
 * @param bufferTimeout longest a network buffer between two operators of the job waits to fill before it is sent
 *     ({@code execution.buffer-timeout}); 0 sends every record at once
 */
public record CompileOptions(Topics topics, String bootstrapServers, TableNames tables, Duration bufferTimeout) {

    /**
     * The job's buffer timeout unless configured otherwise. Flink's own default (100 ms) is paid once per exchange
     * between operators, and a change passes several on its way to an alert: an idle job answered in 400-600 ms, with
     * 10 ms in 65-75 ms, for at most about 20 % less throughput (docs/benchmarks.md, local target).
     */
    public static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ofMillis(10);

    public CompileOptions {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(bufferTimeout, "bufferTimeout");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
        if (bufferTimeout.isNegative()) {
            throw new IllegalArgumentException("buffer timeout must not be negative: " + bufferTimeout);
        }
    }

    /** Options with the {@link #DEFAULT_BUFFER_TIMEOUT}. */
    public CompileOptions(Topics topics, String bootstrapServers, TableNames tables) {
        this(topics, bootstrapServers, tables, DEFAULT_BUFFER_TIMEOUT);
    }

    /** These options with another {@link #bufferTimeout}. */
    public CompileOptions withBufferTimeout(Duration timeout) {
        return new CompileOptions(topics, bootstrapServers, tables, timeout);
    }

    /** Reference topics for {@code deployment}, the reference's in-cluster bootstrap servers, no table prefix. */
    public static CompileOptions defaults(String deployment) {
        return new CompileOptions(Topics.defaults(deployment), "my-cluster-kafka-bootstrap:9092", TableNames.reference());
    }
}
