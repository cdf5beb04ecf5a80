package io.flinkjobrunner.service.state;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a job acts: the Kubernetes context and namespace (empty: the service's defaults), the deployment name that
 * scopes topics and resources (a DNS-1123 label, default {@code shacl} as in the reference) and the parallelism of
 * the deployment's Flink job (empty: the backend's default).
 */
public record JobContext(Optional<String> kubeContext, Optional<String> namespace, String deployment,
        Optional<Integer> parallelism) {

    /** Deployment name used when the request names none. */
    public static final String DEFAULT_DEPLOYMENT = "shacl";

    /** Highest {@code context.parallelism} a request may ask for. */
    public static final int MAX_PARALLELISM = 256;

    public JobContext {
        Objects.requireNonNull(parallelism, "parallelism");
        parallelism.ifPresent(p -> {
            if (p < 1 || p > MAX_PARALLELISM) {
                throw new IllegalArgumentException("parallelism must be 1.." + MAX_PARALLELISM + ", got " + p);
            }
        });
    }

    /** A context with the backend's default parallelism. */
    public JobContext(Optional<String> kubeContext, Optional<String> namespace, String deployment) {
        this(kubeContext, namespace, deployment, Optional.empty());
    }
}
