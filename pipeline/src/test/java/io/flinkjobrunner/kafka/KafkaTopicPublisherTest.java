package io.flinkjobrunner.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.topics.TopicPublishException;
import io.flinkjobrunner.topics.TopicRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishing against the in-process KRaft broker of the local engine. */
class KafkaTopicPublisherTest {

    private static LocalEngine engine;

    @BeforeAll
    static void startBroker() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopBroker() {
        engine.close();
    }

    @Test
    void publishesInOrderWithTombstonesAndWaitsForTheBroker() {
        engine.createTopics(List.of("pub.rdf"));
        List<TopicRecord> records = List.of(
                new TopicRecord("pub.rdf", "{\"id\":1}", "{\"id\":1,\"v\":\"a\"}", null),
                new TopicRecord("pub.rdf", "{\"id\":2}", "{\"id\":2,\"v\":\"b\"}", 1_700_000_000_000L),
                new TopicRecord("pub.rdf", "{\"id\":1}", null, null));
        try (KafkaTopicPublisher publisher = new KafkaTopicPublisher(
                Map.of("bootstrap.servers", engine.bootstrapServers()), Duration.ofSeconds(30))) {
            publisher.publish(records);
        }
        List<TopicRecord> read = engine.read("pub.rdf");
        assertEquals(3, read.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(records.get(i).key(), read.get(i).key());
            assertEquals(records.get(i).value(), read.get(i).value());
        }
        assertEquals(1_700_000_000_000L, read.get(1).timestampMillis());
    }

    @Test
    void anUnreachableBrokerFailsWithinTheTimeoutNamingNoCredentials() {
        Map<String, String> properties = Map.of("bootstrap.servers", "127.0.0.1:1",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"s3cret\";",
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN");
        try (KafkaTopicPublisher publisher = new KafkaTopicPublisher(properties, Duration.ofSeconds(2))) {
            TopicPublishException failure = assertThrows(TopicPublishException.class, () -> publisher.publish(
                    List.of(new TopicRecord("pub.none", "{\"id\":1}", "{}", null))));
            assertTrue(failure.getMessage().contains("Kafka") || failure.getMessage().contains("pub.none"),
                    failure.getMessage());
            assertFalse(failure.getMessage().contains("s3cret"), failure.getMessage());
        }
    }

    @Test
    void missingBootstrapServersIsRefused() {
        TopicPublishException failure = assertThrows(TopicPublishException.class,
                () -> new KafkaTopicPublisher(Map.of("security.protocol", "SSL"), Duration.ofSeconds(1)));
        assertEquals("Kafka client properties lack bootstrap.servers", failure.getMessage());
    }
}
