package io.flinkjobrunner.topics;

/**
 * One Kafka record to publish or that was read back.
 *
 * @param topic topic name
 * @param key JSON key, or {@code null} for unkeyed topics
 * @param value JSON value, or {@code null} for a tombstone (a deleted key of an upsert topic)
 * @param timestampMillis record timestamp in epoch milliseconds, or {@code null} to let the producer choose
 */
public record TopicRecord(String topic, String key, String value, Long timestampMillis) {

    public TopicRecord {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
    }
}
