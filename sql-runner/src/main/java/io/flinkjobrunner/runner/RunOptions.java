package io.flinkjobrunner.runner;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Run-time overrides the runner applies to Kafka tables after their DDL, without changing the script text.
 *
 * @param boundedSources read every {@code kafka} / {@code upsert-kafka} source from the earliest offset up to the
 *     latest offset at job start ({@code scan.bounded.mode = latest-offset}), so the job finishes once the data
 *     published before the run is consumed. Used by the local engine's simulation; never by a deployment.
 * @param kafkaBootstrapServers replaces {@code properties.bootstrap.servers} of every Kafka table, or {@code null} to
 *     keep the script's value
 * @param topicRenames topic name in the script → topic to use instead; lets one compiled script serve several
 *     isolated scenarios on one broker
 */
public record RunOptions(boolean boundedSources, String kafkaBootstrapServers, Map<String, String> topicRenames) {

    /** Run the script as written: unbounded sources, the script's bootstrap servers and topics. */
    public static final RunOptions AS_WRITTEN = new RunOptions(false, null, Map.of());

    public RunOptions {
        if (kafkaBootstrapServers != null && kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafkaBootstrapServers must not be blank");
        }
        topicRenames = Map.copyOf(Objects.requireNonNull(topicRenames, "topicRenames"));
    }

    /** A copy with bounded Kafka sources. */
    public RunOptions withBoundedSources() {
        return new RunOptions(true, kafkaBootstrapServers, topicRenames);
    }

    /** A copy that points every Kafka table at {@code bootstrapServers}. */
    public RunOptions withKafkaBootstrapServers(String bootstrapServers) {
        return new RunOptions(boundedSources, bootstrapServers, topicRenames);
    }

    /** A copy that reads and writes {@code renames.get(topic)} wherever the script names {@code topic}. */
    public RunOptions withTopicRenames(Map<String, String> renames) {
        return new RunOptions(boundedSources, kafkaBootstrapServers, renames);
    }

    /** The bootstrap-servers override, if any. */
    public Optional<String> kafkaBootstrapServersOverride() {
        return Optional.ofNullable(kafkaBootstrapServers);
    }

    /** Whether any Kafka table option has to be rewritten. */
    boolean overridesKafkaTables() {
        return boundedSources || kafkaBootstrapServers != null || !topicRenames.isEmpty();
    }
}
