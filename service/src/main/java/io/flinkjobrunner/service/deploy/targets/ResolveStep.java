package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;

import java.util.Set;

/**
 * First step of every deploy target: picks the backend the configuration selects, resolves the job context for it
 * (namespace default, deployment name, kube context checked against the kubeconfig, no cluster contact) and sets the
 * compile options, so the unit is compiled for this deployment's topics and Kafka.
 */
final class ResolveStep implements Step {

    private final DeploymentBackends backends;

    ResolveStep(DeploymentBackends backends) {
        this.backends = backends;
    }

    @Override
    public String name() {
        return "resolve";
    }

    /** It reads the job's context and the backend's configuration only. */
    @Override
    public boolean repeatable() {
        return true;
    }

    @Override
    public Set<StepKey<?>> provides() {
        return Set.of(DeployKeys.BACKEND, DeployKeys.SCOPE, UnitKeys.COMPILE_OPTIONS);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        DeploymentBackend backend;
        DeploymentScope scope;
        try {
            backend = backends.active();
            scope = backend.scope(context.jobId(), context.context());
        } catch (IllegalStateException | InvalidDeploymentException e) {
            throw new StepFailedException(e.getMessage());
        }
        context.put(DeployKeys.BACKEND, backend);
        context.put(DeployKeys.SCOPE, scope);
        context.put(UnitKeys.COMPILE_OPTIONS, backend.compileOptions(scope));
        context.log().info("Target: " + scope.describe() + " on the " + backend.name() + " backend");
    }
}
