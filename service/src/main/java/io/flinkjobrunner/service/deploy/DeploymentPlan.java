package io.flinkjobrunner.service.deploy;

import java.util.List;
import java.util.Objects;

/**
 * What {@code deploy} would apply, rendered without side effects: the artifacts {@code plan} stores (for Kubernetes
 * the {@code manifests.yaml}) and a hash of them that {@code deploy} records, so a deployment can be matched to the plan
 * that was reviewed.
 *
 * @param artifacts files to store with the job, in order
 * @param specSha256 hex SHA-256 of what is applied (for Kubernetes: of {@code manifests.yaml})
 * @param scriptSha256 hex SHA-256 of the Flink SQL script
 */
public record DeploymentPlan(List<Artifact> artifacts, String specSha256, String scriptSha256) {

    public DeploymentPlan {
        artifacts = List.copyOf(artifacts);
        Objects.requireNonNull(specSha256, "specSha256");
        Objects.requireNonNull(scriptSha256, "scriptSha256");
    }

    /**
     * One artifact.
     *
     * @param name plain file name
     * @param mediaType media type served with it
     * @param content bytes
     */
    public record Artifact(String name, String mediaType, byte[] content) {
    }
}
