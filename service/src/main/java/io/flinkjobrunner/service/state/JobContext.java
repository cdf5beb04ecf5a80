package io.flinkjobrunner.service.state;

import java.util.Optional;

/**
 * Where a job acts: the Kubernetes context and namespace (empty: the service's defaults) and the deployment name that
 * scopes topics and resources (a DNS-1123 label, default {@code shacl} as in the reference).
 */
public record JobContext(Optional<String> kubeContext, Optional<String> namespace, String deployment) {

    /** Deployment name used when the request names none. */
    public static final String DEFAULT_DEPLOYMENT = "shacl";
}
