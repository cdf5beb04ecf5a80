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
 * @param settleWindow how long a change of an alert (raised, changed or cleared) waits for its own reversal before
 *     it is published to {@code alerts_bulk} (the {@code settled-upsert-kafka} sink); 0 publishes every change at
 *     once (plain {@code upsert-kafka})
 * @param parallelism parallelism of every operator of the job ({@code table.exec.resource.default-parallelism});
 *     0 leaves it to the environment (the local engine's 1, the FlinkDeployment's {@code job.parallelism}). The
 *     compiled SQL keeps per-entity order at any parallelism: every stateful operator is keyed (the latest-row views
 *     by entity or attribute id, joins and aggregations by their keys, the alert sink by its primary key), and the
 *     latest row of an entity or attribute is chosen by its timestamp, not by arrival
 */
public record CompileOptions(Topics topics, String bootstrapServers, TableNames tables, Duration bufferTimeout,
        Duration settleWindow, int parallelism) {

    /**
     * The job's buffer timeout unless configured otherwise: 0, every record is sent at once. A buffer timeout is paid
     * at each exchange between operators, by the changes and by the sources' read progress that ends a settle window:
     * with Flink's own 100 ms an idle job answered in 400-600 ms; with 10 ms alerts came 204-246 ms (p99) after their
     * update, with 0 in 100-137 ms, for 11-21 % less of the job's top throughput (still 28-34k updates/s on two cores;
     * an idle job costs about the same: no output flushers, but each progress report travels at once;
     * docs/benchmarks.md, local target).
     */
    public static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ZERO;

    /**
     * The alerts' settle window unless configured otherwise. One entity change reaches the checks as several rows (its
     * entity row, its attribute rows, an attribute's old row retracted before the new one is added); in between a
     * check can fire for a moment. The window ends only when the job's sources have read past it and the job has
     * processed what they read, so however far the job lags is waited for on top of it; the window itself covers how
     * far apart the records of one change are written (a few milliseconds when the platform writes them together)
     * and the sources' read skew. 50 ms does, and keeps a true alert's idle latency under 250 ms
     * (docs/architecture.md, "No false alerts"; docs/benchmarks.md).
     */
    public static final Duration DEFAULT_SETTLE_WINDOW = Duration.ofMillis(50);

    public CompileOptions {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(bufferTimeout, "bufferTimeout");
        Objects.requireNonNull(settleWindow, "settleWindow");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
        if (bufferTimeout.isNegative()) {
            throw new IllegalArgumentException("buffer timeout must not be negative: " + bufferTimeout);
        }
        if (settleWindow.isNegative() || !settleWindow.isZero() && settleWindow.toMillis() == 0) {
            throw new IllegalArgumentException("settle window must be 0 or at least 1 ms: " + settleWindow);
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must be at least 1 (or 0 for the environment's), got "
                    + parallelism);
        }
    }

    /** Options with the environment's parallelism. */
    public CompileOptions(Topics topics, String bootstrapServers, TableNames tables, Duration bufferTimeout,
            Duration settleWindow) {
        this(topics, bootstrapServers, tables, bufferTimeout, settleWindow, 0);
    }

    /** Options with the {@link #DEFAULT_BUFFER_TIMEOUT} and the {@link #DEFAULT_SETTLE_WINDOW}. */
    public CompileOptions(Topics topics, String bootstrapServers, TableNames tables) {
        this(topics, bootstrapServers, tables, DEFAULT_BUFFER_TIMEOUT);
    }

    /** Options with the {@link #DEFAULT_SETTLE_WINDOW}. */
    public CompileOptions(Topics topics, String bootstrapServers, TableNames tables, Duration bufferTimeout) {
        this(topics, bootstrapServers, tables, bufferTimeout, DEFAULT_SETTLE_WINDOW);
    }

    /** These options with another {@link #bufferTimeout}. */
    public CompileOptions withBufferTimeout(Duration timeout) {
        return new CompileOptions(topics, bootstrapServers, tables, timeout, settleWindow, parallelism);
    }

    /** These options with another {@link #settleWindow}. */
    public CompileOptions withSettleWindow(Duration window) {
        return new CompileOptions(topics, bootstrapServers, tables, bufferTimeout, window, parallelism);
    }

    /** These options with another {@link #parallelism} (0: the environment's). */
    public CompileOptions withParallelism(int operators) {
        return new CompileOptions(topics, bootstrapServers, tables, bufferTimeout, settleWindow, operators);
    }

    /** Reference topics for {@code deployment}, the reference's in-cluster bootstrap servers, no table prefix. */
    public static CompileOptions defaults(String deployment) {
        return new CompileOptions(Topics.defaults(deployment), "my-cluster-kafka-bootstrap:9092", TableNames.reference());
    }
}
