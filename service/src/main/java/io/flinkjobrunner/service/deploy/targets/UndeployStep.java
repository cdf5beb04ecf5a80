package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeployFailedException;
import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.deploy.DeploymentState;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.targets.JobCancelledException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code undeploy} / {@code flink-undeploy}: suspends the Flink job (with a savepoint in upgrade mode savepoint) and
 * removes exactly what this
 * service created for the deployment (its inventory and labelled objects; platform-shared topics stay), then its
 * stored semantic data. Undeploying a name that was never deployed succeeds and records nothing.
 */
final class UndeployStep implements Step {

    private final DeploymentRepository deployments;

    UndeployStep(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    @Override
    public String name() {
        return "undeploy";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(DeployKeys.BACKEND, DeployKeys.SCOPE);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        DeploymentBackend backend = context.require(DeployKeys.BACKEND);
        DeploymentScope scope = context.require(DeployKeys.SCOPE);
        Optional<DeploymentRecord> recorded = deployments.find(scope.deployment());
        DeploymentLocation.requireSame(recorded, backend, scope);
        context.checkCancelled();
        if (recorded.isPresent()) {
            deployments.begin(context.fencingToken(), scope.deployment(), backend.name(), scope.kubeContext(),
                    scope.namespace(), DeploymentStatus.UNDEPLOYING, ApplyStep.now());
        }
        DeploymentState state;
        try {
            state = backend.undeploy(scope, new StepDeployProgress(context));
        } catch (DeployFailedException e) {
            if (recorded.isPresent()) {
                deployments.end(context.fencingToken(), scope.deployment(), DeploymentStatus.FAILED,
                        Optional.empty(), Optional.empty(),
                        "undeploy by job " + context.jobId() + " did not complete: " + e.getMessage(),
                        ApplyStep.now());
            }
            if (e.reason() == DeployFailedException.Reason.CANCELLED) {
                context.log().warn(e.getMessage() + "; nothing was deleted, the Flink job may be suspended: run "
                        + "undeploy again, or deploy to resume it from its savepoint");
                throw new JobCancelledException();
            }
            throw new StepFailedException(e.getMessage(), e);
        }
        boolean removedSomething = !(state.fields().get("removed") instanceof List<?> removed) || !removed.isEmpty();
        if (recorded.isEmpty() && removedSomething) {
            deployments.begin(context.fencingToken(), scope.deployment(), backend.name(), scope.kubeContext(),
                    scope.namespace(), DeploymentStatus.UNDEPLOYING, ApplyStep.now());
        }
        if (recorded.isPresent() || removedSomething) {
            deployments.end(context.fencingToken(), scope.deployment(), DeploymentStatus.UNDEPLOYED, Optional.empty(),
                    Optional.empty(), state.detail(), ApplyStep.now());
        }
        context.log().info("Undeployed " + scope.describe() + ": " + state.detail());
    }
}
