package io.flinkjobrunner.engine;

import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One bounded scenario for {@link LocalEngine#simulate}: create the topics, publish the records in order, run the
 * script with every Kafka source bounded at the latest offset, then read the listed topics back.
 *
 * @param script the Flink SQL script, exactly as it would be deployed (the engine only overrides bootstrap servers
 *     and source bounds at run time)
 * @param topicsToCreate topics created (1 partition) before publishing; use fresh names per scenario
 *     ({@code Topics.withPrefix})
 * @param recordsToPublish records published in list order before the job starts
 * @param topicsToReadBack topics read back after the job finished
 * @param timeout how long the job may run before it is cancelled
 * @param topicRenames topic named in the script → topic the run uses instead (applied at run time, like the bootstrap
 *     servers), so one compiled script serves many scenarios; records and read-back name the renamed topics
 */
public record SimulationRequest(
        String script,
        List<String> topicsToCreate,
        List<TopicRecord> recordsToPublish,
        List<String> topicsToReadBack,
        Duration timeout,
        Map<String, String> topicRenames) {

    /** A request that runs the script's topics as written. */
    public SimulationRequest(String script, List<String> topicsToCreate, List<TopicRecord> recordsToPublish,
            List<String> topicsToReadBack, Duration timeout) {
        this(script, topicsToCreate, recordsToPublish, topicsToReadBack, timeout, Map.of());
    }

    public SimulationRequest {
        topicRenames = Map.copyOf(Objects.requireNonNull(topicRenames, "topicRenames"));
        Objects.requireNonNull(script, "script");
        topicsToCreate = List.copyOf(topicsToCreate);
        recordsToPublish = List.copyOf(recordsToPublish);
        topicsToReadBack = List.copyOf(topicsToReadBack);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
