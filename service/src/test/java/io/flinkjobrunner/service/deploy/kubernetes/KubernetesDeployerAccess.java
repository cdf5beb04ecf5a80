package io.flinkjobrunner.service.deploy.kubernetes;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flinkjobrunner.service.deploy.kubernetes.spec.CustomResourceKind;

/** Lets tests in other packages address custom resources the way {@link KubernetesDeployer} does. */
public final class KubernetesDeployerAccess {

    private KubernetesDeployerAccess() {
    }

    /** The fabric8 context of a kind. */
    public static ResourceDefinitionContext context(CustomResourceKind kind) {
        return KubernetesDeployer.context(kind);
    }
}
