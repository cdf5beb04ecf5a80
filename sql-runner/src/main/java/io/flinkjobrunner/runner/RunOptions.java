package io.flinkjobrunner.runner;

import java.util.Optional;

/**
 * Run-time overrides the runner applies to Kafka tables after their DDL, without changing the script text.
 *
 * @param boundedSources read every {@code kafka} / {@code upsert-kafka} source from the earliest offset up to the
 *     latest offset at job start ({@code scan.bounded.mode = latest-offset}), so the job finishes once the data
 *     published before the run is consumed. Used by the local engine's simulation; never by a deployment.
 * @param kafkaBootstrapServers replaces {@code properties.bootstrap.servers} of every Kafka table, or {@code null} to
 *     keep the script's value
 */
public record RunOptions(boolean boundedSources, String kafkaBootstrapServers) {

    /** Run the script as written: unbounded sources, the script's bootstrap servers. */
    public static final RunOptions AS_WRITTEN = new RunOptions(false, null);

    public RunOptions {
        if (kafkaBootstrapServers != null && kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafkaBootstrapServers must not be blank");
        }
    }

    /** A copy with bounded Kafka sources. */
    public RunOptions withBoundedSources() {
        return new RunOptions(true, kafkaBootstrapServers);
    }

    /** A copy that points every Kafka table at {@code bootstrapServers}. */
    public RunOptions withKafkaBootstrapServers(String bootstrapServers) {
        return new RunOptions(boundedSources, bootstrapServers);
    }

    /** The bootstrap-servers override, if any. */
    public Optional<String> kafkaBootstrapServersOverride() {
        return Optional.ofNullable(kafkaBootstrapServers);
    }

    /** Whether any Kafka table option has to be rewritten. */
    boolean overridesKafkaTables() {
        return boundedSources || kafkaBootstrapServers != null;
    }
}
