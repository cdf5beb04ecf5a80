package io.flinkjobrunner.service.deploy;

import java.util.Objects;
import java.util.Optional;

/**
 * One job's deployment as a backend resolved it from the job context: the deployment name plus, for Kubernetes, the
 * kubeconfig context and the namespace (defaults applied).
 *
 * @param jobId the job acting on the deployment
 * @param deployment deployment name (scopes topics, resources and the semantic data)
 * @param kubeContext kubeconfig context; empty for the service's default client and for the local engine
 * @param namespace Kubernetes namespace; empty for the local engine
 * @param parallelism parallelism of the deployment's Flink job as the job context asked; empty for the backend's
 *     default
 */
public record DeploymentScope(String jobId, String deployment, Optional<String> kubeContext,
        Optional<String> namespace, Optional<Integer> parallelism) {

    public DeploymentScope {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(kubeContext, "kubeContext");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(parallelism, "parallelism");
    }

    /** A scope with the backend's default parallelism. */
    public DeploymentScope(String jobId, String deployment, Optional<String> kubeContext, Optional<String> namespace) {
        this(jobId, deployment, kubeContext, namespace, Optional.empty());
    }

    /** {@code deployment 'shacl' in namespace iff (context prod)}, for log lines and errors. */
    public String describe() {
        return "deployment '" + deployment + "'" + namespace.map(n -> " in namespace " + n).orElse("")
                + kubeContext.map(k -> " (kube context " + k + ")").orElse("");
    }
}
