package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.targets.StepFailedException;
import java.util.Optional;

/**
 * A deployment name is global to the service: its topics ({@code fjr.<name>.*}) and its stored semantic data are
 * named after it. So a name that lives somewhere (backend, kube context, namespace) cannot be deployed or undeployed
 * elsewhere until it is undeployed there.
 */
final class DeploymentLocation {

    private DeploymentLocation() {
    }

    /** Fails when {@code recorded} lives elsewhere than {@code scope} on {@code backend}. */
    static void requireSame(Optional<DeploymentRecord> recorded, DeploymentBackend backend, DeploymentScope scope)
            throws StepFailedException {
        if (recorded.isEmpty() || recorded.get().status() == DeploymentStatus.UNDEPLOYED) {
            return;
        }
        DeploymentRecord r = recorded.get();
        if (!r.backend().equals(backend.name()) || !r.kubeContext().equals(scope.kubeContext())
                || !r.namespace().equals(scope.namespace())) {
            throw new StepFailedException("deployment '" + scope.deployment() + "' lives on the " + r.backend()
                    + " backend" + r.namespace().map(n -> " in namespace " + n).orElse("")
                    + r.kubeContext().map(k -> " (kube context " + k + ")").orElse("") + " since job "
                    + r.sourceJobId() + " (" + r.status() + "); undeploy it there first or choose another "
                    + "deployment name: topics and stored semantic data are named after the deployment");
        }
    }
}
