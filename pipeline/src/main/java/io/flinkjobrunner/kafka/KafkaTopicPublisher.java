package io.flinkjobrunner.kafka;

import io.flinkjobrunner.topics.TopicPublishException;
import io.flinkjobrunner.topics.TopicPublisher;
import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A {@link TopicPublisher} on one Kafka producer built from client properties ({@code bootstrap.servers} plus any
 * security settings such as {@code security.protocol}, {@code sasl.*}, {@code ssl.*}).
 *
 * <p>The producer is idempotent with {@code acks=all}, so a retried send never duplicates or reorders records of a
 * key: the last record of a key on a compacted topic is the one published last. The property values are never logged
 * or put into error messages (they may hold credentials).
 */
public final class KafkaTopicPublisher implements TopicPublisher, AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final Duration timeout;

    /**
     * Creates the producer.
     *
     * @param clientProperties Kafka client properties; {@code bootstrap.servers} is required, serializers are fixed
     * @param timeout longest wait for one publish to be acknowledged as a whole
     * @throws TopicPublishException if the properties are invalid
     */
    public KafkaTopicPublisher(Map<String, String> clientProperties, Duration timeout) {
        String bootstrap = clientProperties.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new TopicPublishException("Kafka client properties lack bootstrap.servers", null);
        }
        Properties properties = new Properties();
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "flink-job-runner");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // delivery.timeout.ms must cover linger + request timeout; the whole publish is bounded by `timeout` anyway.
        long deliveryMillis = Math.max(timeout.toMillis(), 35_000);
        properties.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryMillis));
        properties.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try {
            this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        } catch (KafkaException e) {
            throw new TopicPublishException("cannot create the Kafka producer for " + bootstrap + ": "
                    + rootMessage(e), e);
        }
        this.timeout = timeout;
    }

    @Override
    public void publish(List<TopicRecord> records) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        try {
            for (TopicRecord record : records) {
                sends.add(producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(),
                        record.key(), record.value())));
            }
            producer.flush();
        } catch (KafkaException e) {
            throw new TopicPublishException("cannot publish to Kafka: " + rootMessage(e), e);
        }
        for (int i = 0; i < sends.size(); i++) {
            String topic = records.get(i).topic();
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new TopicPublishException("cannot publish to topic '" + topic + "': "
                        + rootMessage(e.getCause()), e.getCause());
            } catch (TimeoutException e) {
                throw new TopicPublishException("publishing to topic '" + topic + "' was not acknowledged within "
                        + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicPublishException("interrupted while publishing to topic '" + topic + "'", e);
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : message + " (" + e.getMessage() + ")";
    }
}
