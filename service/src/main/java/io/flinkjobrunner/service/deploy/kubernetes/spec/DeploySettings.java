package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.Objects;

/**
 * Everything besides the compiled unit that decides what a deployment renders to.
 *
 * @param kafka KafkaTopic rendering
 * @param flink Flink custom resource rendering
 * @param configMapPartBytes largest SQL part stored in one ConfigMap, in UTF-8 bytes (below the 1 MiB object limit,
 *     leaving room for metadata)
 */
public record DeploySettings(KafkaTopicSettings kafka, FlinkSettings flink, int configMapPartBytes) {

    /** Kubernetes refuses objects above 1 MiB; a part plus metadata must stay below it. */
    public static final int MAX_CONFIG_MAP_PART_BYTES = 1_000_000;

    public DeploySettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(flink, "flink");
        if (configMapPartBytes < 1024 || configMapPartBytes > MAX_CONFIG_MAP_PART_BYTES) {
            throw new InvalidDeploymentException("ConfigMap part size must be between 1024 and "
                    + MAX_CONFIG_MAP_PART_BYTES + " bytes, got " + configMapPartBytes);
        }
    }
}
