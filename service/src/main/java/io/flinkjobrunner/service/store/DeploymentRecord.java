package io.flinkjobrunner.service.store;

import io.flinkjobrunner.service.state.DeploymentStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of the {@code deployments} table: where a deployment lives, its status and what was applied.
 *
 * @param name deployment name (the job context's {@code deployment})
 * @param backend {@code kubernetes} or {@code local}
 * @param kubeContext kubeconfig context, empty for the service's default client or the local engine
 * @param namespace Kubernetes namespace, empty for the local engine
 * @param status current status
 * @param since when the current status began
 * @param sourceJobId the job that last changed the deployment
 * @param specSha256 SHA-256 of what was applied (equal to the SHA-256 of the plan's {@code manifests.yaml}), if known
 * @param scriptSha256 SHA-256 of the Flink SQL script, if known
 * @param detail the backend's last word (operator state, error, leftovers)
 * @param updatedAt last change of the row
 */
public record DeploymentRecord(String name, String backend, Optional<String> kubeContext, Optional<String> namespace,
        DeploymentStatus status, Instant since, String sourceJobId, Optional<String> specSha256,
        Optional<String> scriptSha256, Optional<String> detail, Instant updatedAt) {
}
