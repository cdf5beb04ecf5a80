package io.flinkjobrunner.topics;

import java.util.List;

/**
 * Publishes records to Kafka and returns once the broker acknowledged every one of them. The local engine's
 * {@code LocalEngine::publish} and {@code kafka.KafkaTopicPublisher} (any broker, from client properties) both fit.
 */
@FunctionalInterface
public interface TopicPublisher {

    /**
     * Publishes {@code records} in list order (records of one key stay in order) and waits for every acknowledgement.
     *
     * @throws RuntimeException naming the topic when a record cannot be published
     */
    void publish(List<TopicRecord> records);
}
