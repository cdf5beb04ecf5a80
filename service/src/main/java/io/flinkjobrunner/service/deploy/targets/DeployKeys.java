package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.targets.StepKey;

/** Values the {@link ResolveStep} hands to the later deploy steps of a job. */
final class DeployKeys {

    /** The backend the job acts on. */
    static final StepKey<DeploymentBackend> BACKEND = StepKey.of("deploymentBackend", DeploymentBackend.class);

    /** The job's deployment as the backend resolved it. */
    static final StepKey<DeploymentScope> SCOPE = StepKey.of("deploymentScope", DeploymentScope.class);

    private DeployKeys() {
    }
}
