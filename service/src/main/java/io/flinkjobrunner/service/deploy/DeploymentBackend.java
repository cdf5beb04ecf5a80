package io.flinkjobrunner.service.deploy;

import io.flinkjobrunner.compiler.CompileOptions;
import io.flinkjobrunner.compiler.DeploymentUnit;
import io.flinkjobrunner.service.problems.InvalidDeploymentException;
import io.flinkjobrunner.service.state.JobContext;

/**
 * Where the deploy targets put a compiled unit. The same targets ({@code plan}, {@code deploy}, {@code undeploy},
 * {@code setup}, …) run against either backend; {@link DeploymentBackends} picks one from the configuration:
 * {@code kubernetes} (Flink Kubernetes Operator + Strimzi) when {@code runner.deploy.kubernetes-enabled=true}, else
 * {@code local} (the in-process engine). Implementations are CDI beans.
 *
 * <p>Contract shared by both backends:
 * <ul>
 *   <li>A deployment is identified by its name; jobs changing one deployment never run at the same time (the
 *   submission lock), so a backend needs no locking of its own.</li>
 *   <li>{@link #deploy} is create-or-upgrade in place: an existing deployment is upgraded keeping its state
 *   (savepoint), never removed first. Semantic data goes through {@code SemanticDataService}, so both backends
 *   publish the same delta.</li>
 *   <li>On failure or cancel, {@link #deploy} leaves a defined state and says which in its
 *   {@link DeployFailedException}: nothing applied, rolled back to the previous version, or the listed leftovers.</li>
 *   <li>{@link #plan} has no side effects and renders exactly what {@link #deploy} applies.</li>
 * </ul>
 */
public interface DeploymentBackend {

    /** {@code kubernetes} or {@code local}; recorded in the {@code deployments} table. */
    String name();

    /**
     * Resolves the job context for this backend (defaults applied), checking names and the kube context without
     * contacting anything.
     *
     * @throws InvalidDeploymentException with a message for the job's {@code lastError}
     */
    DeploymentScope scope(String jobId, JobContext context);

    /** How a unit for {@code scope} is compiled: the deployment's topics and the bootstrap servers Flink uses. */
    CompileOptions compileOptions(DeploymentScope scope);

    /** Checks whether this backend can deploy into {@code scope}; changes nothing. */
    PreflightReport preflight(DeploymentScope scope);

    /**
     * Renders what {@link #deploy} would apply for {@code unit}.
     *
     * @throws InvalidDeploymentException if the unit was not compiled for {@code scope}
     */
    DeploymentPlan plan(DeploymentScope scope, DeploymentUnit unit);

    /**
     * Renders what {@link #deploy} applies now, asking the backend where the rendering depends on it (e.g. the
     * KafkaTopic version a cluster serves); without such a dependency exactly {@link #plan}.
     *
     * @throws InvalidDeploymentException if the unit was not compiled for {@code scope}
     */
    default DeploymentPlan deployPlan(DeploymentScope scope, DeploymentUnit unit) {
        return plan(scope, unit);
    }

    /**
     * Deploys {@code unit} (creates the deployment or upgrades it in place) and waits until the Flink job runs,
     * reporting to {@code progress} and stopping when it reports a cancel.
     *
     * @return the state reached (phase RUNNING)
     * @throws DeployFailedException saying why and what is left
     */
    DeploymentState deploy(DeploymentScope scope, DeploymentUnit unit, DeployProgress progress)
            throws DeployFailedException;

    /**
     * Stops the deployment's Flink job (with a savepoint where configured) and removes exactly what this service
     * created for it, including its semantic data.
     *
     * @return the state reached (phase ABSENT), with what was removed
     * @throws DeployFailedException saying why and what is left
     */
    DeploymentState undeploy(DeploymentScope scope, DeployProgress progress) throws DeployFailedException;
}
