package io.flinkjobrunner.service.deploy.kubernetes;

import io.flinkjobrunner.service.config.DeployConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.topics.TopicPublishException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner.deploy.kafka.*}: the producer's client properties from the file, the map and the bootstrap servers. */
class DeployConfigTest {

    static DeployConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(DeployConfig.class);
    }

    @Test
    void clientPropertiesKeepTheirDotsAndOverrideTheFileWhichOverridesTheBootstrapServers(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("kafka-client.properties");
        Files.writeString(file, """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                bootstrap.servers=kafka-external:9094
                """);
        Map<String, String> properties = new HashMap<>();
        properties.put("runner.deploy.kafka.bootstrap-servers", "my-cluster-kafka-bootstrap:9092");
        properties.put("runner.deploy.kafka.client-properties-file", file.toString());
        properties.put("runner.deploy.kafka.client.\"sasl.mechanism\"", "PLAIN");
        properties.put("runner.deploy.kafka.client.ssl.truststore.type", "PEM");
        DeployConfig deploy = config(properties);
        assertEquals("my-cluster-kafka-bootstrap:9092", deploy.kafka().bootstrapServers());
        Map<String, String> client = new KubernetesBackend(deploy, null, null).kafkaClientProperties();
        assertEquals("kafka-external:9094", client.get("bootstrap.servers"), "the file may name another listener");
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("PLAIN", client.get("sasl.mechanism"), "client.* wins over the file");
        assertEquals("PEM", client.get("ssl.truststore.type"), "unquoted dotted keys keep their dots");
    }

    @Test
    void anUnreadablePropertiesFileIsAClearError(@TempDir Path dir) {
        DeployConfig deploy = config(Map.of("runner.deploy.kafka.client-properties-file",
                dir.resolve("missing.properties").toString()));
        TopicPublishException failure = assertThrows(TopicPublishException.class,
                () -> new KubernetesBackend(deploy, null, null).kafkaClientProperties());
        assertTrue(failure.getMessage().startsWith("cannot read the Kafka client properties file "),
                failure.getMessage());
    }
}
