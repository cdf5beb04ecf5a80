package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the Strimzi {@code KafkaTopic} resources of a deployment are rendered.
 *
 * @param strimziCluster value of the {@code strimzi.io/cluster} label: the Kafka cluster whose topic operator owns them
 * @param partitions partitions of every topic the service creates
 * @param replicas replication factor of every topic the service creates
 * @param retention {@code retention.ms} of the NGSI-LD and alert topics, or {@code null} to keep the broker default
 * @param createPlatformTopics whether the service also creates the shared NGSI-LD and alert topics; {@code false} (the
 *     default) expects them from the platform (the NGSI-LD broker and the Alerta bridge own them), and a deployment
 *     then creates only its own compacted semantic-data topics
 * @param extraConfig further topic configuration copied into every topic's {@code spec.config}
 * @param apiVersion the KafkaTopic version rendered ({@code v1} or {@code v1beta2}): {@code plan} renders the
 *     configured one, {@code deploy} the one the cluster serves ({@code v1} preferred)
 */
public record KafkaTopicSettings(
        String strimziCluster,
        int partitions,
        int replicas,
        Duration retention,
        boolean createPlatformTopics,
        Map<String, String> extraConfig,
        String apiVersion) {

    public KafkaTopicSettings {
        Objects.requireNonNull(strimziCluster, "strimziCluster");
        if (strimziCluster.isBlank()) {
            throw new InvalidDeploymentException("the Strimzi cluster name must not be empty");
        }
        if (partitions < 1) {
            throw new InvalidDeploymentException("topic partitions must be at least 1, got " + partitions);
        }
        if (replicas < 1 || replicas > Short.MAX_VALUE) {
            throw new InvalidDeploymentException("topic replicas must be between 1 and 32767, got " + replicas);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new InvalidDeploymentException("topic retention must be positive, got " + retention);
        }
        extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
        CustomResourceKind.kafkaTopic(apiVersion);
    }

    /** The KafkaTopic kind rendered. */
    public CustomResourceKind kind() {
        return CustomResourceKind.kafkaTopic(apiVersion);
    }

    /** These settings rendering KafkaTopics of {@code version}. */
    public KafkaTopicSettings withApiVersion(String version) {
        return new KafkaTopicSettings(strimziCluster, partitions, replicas, retention, createPlatformTopics,
                extraConfig, version);
    }

    /**
     * The reference's values: cluster {@code my-cluster}, one partition, one replica, platform topics expected,
     * KafkaTopic {@code v1beta2} (Strimzi 0.45, what the platform installs).
     */
    public static KafkaTopicSettings defaults() {
        return new KafkaTopicSettings("my-cluster", 1, 1, null, false, Map.of(), "v1beta2");
    }
}
