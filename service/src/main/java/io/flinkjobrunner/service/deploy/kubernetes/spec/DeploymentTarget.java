package io.flinkjobrunner.service.deploy.kubernetes.spec;

import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a deployment lives: Kubernetes namespace and deployment name.
 *
 * <p>No job id: the rendering depends only on the unit, the settings and this target, so {@code plan} renders
 * byte-for-byte what {@code deploy} applies. Which job applied a deployment is recorded in the {@code deployments}
 * table.
 *
 * <p>The deployment name becomes the name of the Flink custom resource, which the Flink Kubernetes Operator also uses
 * for the JobManager Service ({@code <name>-rest}); the operator refuses names longer than 45 characters, so does this.
 *
 * @param namespace Kubernetes namespace (DNS-1123 label)
 * @param deployment deployment name (DNS-1123 label, at most 45 characters)
 */
public record DeploymentTarget(String namespace, String deployment) {

    /** Longest deployment name the Flink operator accepts for a FlinkDeployment. */
    public static final int MAX_DEPLOYMENT_LENGTH = 45;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public DeploymentTarget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(deployment, "deployment");
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw new InvalidDeploymentException("namespace '" + namespace
                    + "' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)");
        }
        if (deployment.length() > MAX_DEPLOYMENT_LENGTH || !DNS_LABEL.matcher(deployment).matches()) {
            throw new InvalidDeploymentException("deployment '" + deployment
                    + "' is not a DNS-1123 label of at most " + MAX_DEPLOYMENT_LENGTH
                    + " characters (lower-case letters, digits and '-')");
        }
    }
}
