package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeploymentPlan;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;

import java.util.Set;

/**
 * {@code plan}: renders what {@code deploy} would apply (for Kubernetes {@code manifests.yaml}) and stores it, without
 * contacting the cluster. The logged {@code spec sha256} is the one a deploy of the same unit records.
 */
final class PlanStep implements Step {

    @Override
    public String name() {
        return "render";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(DeployKeys.BACKEND, DeployKeys.SCOPE, UnitKeys.UNIT);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        DeploymentPlan plan;
        try {
            plan = context.require(DeployKeys.BACKEND).plan(context.require(DeployKeys.SCOPE),
                    context.require(UnitKeys.UNIT));
        } catch (InvalidDeploymentException e) {
            throw new StepFailedException(e.getMessage());
        }
        store(context, plan);
        context.log().info("Rendered " + plan.artifacts().size() + " artifact(s); spec sha256 " + plan.specSha256()
                + ", script sha256 " + plan.scriptSha256() + "; nothing was applied");
    }

    /** Stores the plan's artifacts with the job. */
    static void store(StepContext context, DeploymentPlan plan) {
        for (DeploymentPlan.Artifact artifact : plan.artifacts()) {
            context.artifacts().put(artifact.name(), artifact.mediaType(), artifact.content());
        }
    }
}
