package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.service.deploy.DeployFailedException;
import io.flinkjobrunner.service.deploy.DeploymentBackend;
import io.flinkjobrunner.service.deploy.DeploymentPlan;
import io.flinkjobrunner.service.deploy.DeploymentScope;
import io.flinkjobrunner.service.deploy.DeploymentState;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.state.DeploymentStatus;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.service.store.DeploymentRecord;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.targets.JobCancelledException;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.StepContext;
import io.flinkjobrunner.service.targets.StepFailedException;
import io.flinkjobrunner.service.targets.StepKey;
import io.flinkjobrunner.service.targets.UnitKeys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code deploy}: applies the unit through the backend (create, or upgrade in place with a savepoint) and waits until
 * the Flink job runs, mirroring the operator's status into the job's stream. Stores {@code manifests.yaml}: the same
 * rendering {@code plan} stores. Records the outcome in the {@code deployments} table.
 *
 * <p>Cancel before anything is applied: the job ends CANCELLED and nothing changed. Cancel, failure or deadline after
 * that: the backend rolls back to the previous version (or removes a first deploy); the deployment's recorded status
 * is then its previous one, or FAILED with the leftovers when the rollback was incomplete.
 *
 * <p>Resumable: an attempt that lost the job (its replica died, froze or shut down) stops without recording or rolling
 * back anything; the next attempt re-renders the same manifests and applies them again (create or update in place is
 * idempotent; the inventory written first covers everything any attempt applied). Its rollback then restores what the
 * lost attempt left, and the deployment's status says FAILED instead of the status before the lost attempt.
 */
final class ApplyStep implements Step {

    /** Kind of the status event announcing the deployment's new state. */
    static final String DEPLOYMENT = "deployment";

    private final DeploymentRepository deployments;

    ApplyStep(DeploymentRepository deployments) {
        this.deployments = deployments;
    }

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public Set<StepKey<?>> needs() {
        return Set.of(DeployKeys.BACKEND, DeployKeys.SCOPE, UnitKeys.UNIT);
    }

    @Override
    public void run(StepContext context) throws StepFailedException {
        DeploymentBackend backend = context.require(DeployKeys.BACKEND);
        DeploymentScope scope = context.require(DeployKeys.SCOPE);
        DeploymentUnit unit = context.require(UnitKeys.UNIT);
        Optional<DeploymentRecord> previous = deployments.find(scope.deployment());
        DeploymentLocation.requireSame(previous, backend, scope);
        DeploymentPlan plan;
        try {
            plan = backend.deployPlan(scope, unit);
        } catch (InvalidDeploymentException e) {
            throw new StepFailedException(e.getMessage());
        }
        PlanStep.store(context, plan);
        context.checkCancelled();
        context.log().info((previous.filter(r -> r.status() != DeploymentStatus.UNDEPLOYED).isPresent()
                ? "Upgrading " : "Creating ") + scope.describe() + " (spec sha256 " + plan.specSha256() + ")");
        deployments.begin(context.fencingToken(), scope.deployment(), backend.name(), scope.kubeContext(),
                scope.namespace(), DeploymentStatus.DEPLOYING, now());
        DeploymentState state;
        try {
            state = backend.deploy(scope, unit, new StepDeployProgress(context));
        } catch (DeployFailedException e) {
            DeploymentStatus after = e.leftovers().isEmpty() ? restored(previous) : DeploymentStatus.FAILED;
            deployments.end(context.fencingToken(), scope.deployment(), after, Optional.empty(), Optional.empty(),
                    "deploy by job " + context.jobId() + " did not complete: " + e.getMessage(), now());
            announce(context, after, e.getMessage());
            if (e.reason() == DeployFailedException.Reason.CANCELLED) {
                context.log().warn(e.getMessage());
                throw new JobCancelledException();
            }
            throw new StepFailedException(e.getMessage(), e);
        } catch (OwnershipLostException e) {
            // another replica holds the job now and redoes the deploy: record nothing, undo nothing
            throw e;
        } catch (RuntimeException e) {
            deployments.end(context.fencingToken(), scope.deployment(), DeploymentStatus.FAILED, Optional.empty(),
                    Optional.empty(), "deploy by job " + context.jobId() + " failed unexpectedly: " + e.getMessage(),
                    now());
            throw e;
        }
        deployments.end(context.fencingToken(), scope.deployment(), DeploymentStatus.RUNNING,
                Optional.of(plan.specSha256()), Optional.of(plan.scriptSha256()), state.detail(), now());
        announce(context, DeploymentStatus.RUNNING, state.detail());
        context.log().info("Deployed " + scope.describe() + ": " + state.detail());
    }

    /**
     * What the deployment is after a complete rollback: what it was before this job, if that was a settled state; a
     * deployment whose previous job was interrupted mid-change (DEPLOYING, UNDEPLOYING) is of unknown shape: FAILED.
     */
    private static DeploymentStatus restored(Optional<DeploymentRecord> previous) {
        if (previous.isEmpty()) {
            return DeploymentStatus.UNDEPLOYED;
        }
        DeploymentStatus before = previous.get().status();
        return before == DeploymentStatus.DEPLOYING || before == DeploymentStatus.UNDEPLOYING
                ? DeploymentStatus.FAILED : before;
    }

    private static void announce(StepContext context, DeploymentStatus status, String detail) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", context.context().deployment());
        fields.put("status", status.name());
        fields.put("detail", detail);
        context.status(DEPLOYMENT, fields);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
