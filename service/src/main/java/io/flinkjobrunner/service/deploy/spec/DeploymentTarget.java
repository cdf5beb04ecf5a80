package io.flinkjobrunner.service.deploy.spec;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a deployment lives: Kubernetes namespace, deployment name and the job that renders or applies it.
 *
 * <p>The deployment name becomes the name of the Flink custom resource, which the Flink Kubernetes Operator also uses
 * for the JobManager Service ({@code <name>-rest}); the operator refuses names longer than 45 characters, so does this.
 *
 * @param namespace Kubernetes namespace (DNS-1123 label)
 * @param deployment deployment name (DNS-1123 label, at most 45 characters)
 * @param jobId id of the job that owns the rendering, written into a label so every object says who last changed it
 */
public record DeploymentTarget(String namespace, String deployment, String jobId) {

    /** Longest deployment name the Flink operator accepts for a FlinkDeployment. */
    public static final int MAX_DEPLOYMENT_LENGTH = 45;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    public DeploymentTarget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(jobId, "jobId");
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw new InvalidDeploymentException("namespace '" + namespace
                    + "' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)");
        }
        if (deployment.length() > MAX_DEPLOYMENT_LENGTH || !DNS_LABEL.matcher(deployment).matches()) {
            throw new InvalidDeploymentException("deployment '" + deployment
                    + "' is not a DNS-1123 label of at most " + MAX_DEPLOYMENT_LENGTH
                    + " characters (lower-case letters, digits and '-')");
        }
        if (jobId.length() > 63 || !LABEL_VALUE.matcher(jobId).matches()) {
            throw new InvalidDeploymentException("job id '" + jobId + "' cannot be used as a Kubernetes label value");
        }
    }
}
