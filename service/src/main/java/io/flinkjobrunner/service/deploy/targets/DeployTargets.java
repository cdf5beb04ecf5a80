package io.flinkjobrunner.service.deploy.targets;

import io.flinkjobrunner.service.deploy.DeploymentBackends;
import io.flinkjobrunner.service.store.DeploymentRepository;
import io.flinkjobrunner.service.targets.Step;
import io.flinkjobrunner.service.targets.Target;
import io.flinkjobrunner.service.targets.UnitBuild;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The targets that build, plan, deploy and undeploy, on whichever backend {@link DeploymentBackends} selects. Names
 * follow the reference; {@code flink-deploy} and {@code flink-undeploy} are the reference's names for {@code deploy}
 * and {@code undeploy}.
 *
 * <p>{@code setup-and-deploy} runs setup, then build, then deploy as an in-place upgrade. The reference ran
 * {@code setup, build, flink-undeploy, flink-deploy}: the validation was down from the undeploy until the new job ran
 * (minutes, plus the lost state). Here the running job keeps validating until the operator has taken a savepoint and
 * restarted it on the new spec, and a failed deploy rolls back to the running version.
 */
@ApplicationScoped
public class DeployTargets {

    private final DeploymentBackends backends;
    private final DeploymentRepository deployments;
    private final UnitBuild unitBuild;

    @Inject
    DeployTargets(DeploymentBackends backends, DeploymentRepository deployments, UnitBuild unitBuild) {
        this.backends = backends;
        this.deployments = deployments;
        this.unitBuild = unitBuild;
    }

    @Produces
    @Singleton
    Target build() {
        return new StepsTarget("build", "download, check and compile the inputs into one Flink SQL job, checked by "
                + "Flink's planner; stores the SQL, the semantic data and the coverage report", false, true,
                () -> withBuild(List.of(resolve()), List.of()));
    }

    @Produces
    @Singleton
    Target plan() {
        return new StepsTarget("plan", "build, then render exactly what deploy would apply (manifests.yaml for "
                + "Kubernetes) without contacting the cluster", false, true,
                () -> withBuild(List.of(resolve()), List.of(new PlanStep())));
    }

    @Produces
    @Singleton
    Target deploy() {
        return deployTarget("deploy");
    }

    @Produces
    @Singleton
    Target flinkDeploy() {
        return deployTarget("flink-deploy");
    }

    @Produces
    @Singleton
    Target undeploy() {
        return undeployTarget("undeploy");
    }

    @Produces
    @Singleton
    Target flinkUndeploy() {
        return undeployTarget("flink-undeploy");
    }

    @Produces
    @Singleton
    Target setup() {
        return new StepsTarget("setup", "check, without changing anything, that the service can deploy into the "
                + "job's context (API, CRDs, flinkVersion, namespace, Flink service account, topic operator, "
                + "permissions, Kafka); stores preflight.txt", false, false,
                () -> List.of(resolve(), new PreflightStep()));
    }

    @Produces
    @Singleton
    Target setupAndDeploy() {
        return new StepsTarget("setup-and-deploy", "setup, build and deploy as an in-place upgrade (never undeploys "
                + "first)", true, true,
                () -> withBuild(List.of(resolve(), new PreflightStep()), List.of(new ApplyStep(deployments))));
    }

    private Target deployTarget(String name) {
        return new StepsTarget(name, "build, then create or upgrade the deployment in place (savepoint) and wait "
                + "until its Flink job runs", true, true,
                () -> withBuild(List.of(resolve()), List.of(new ApplyStep(deployments))));
    }

    private Target undeployTarget(String name) {
        return new StepsTarget(name, "suspend the deployment's Flink job with a savepoint (upgrade mode savepoint), "
                + "then remove exactly what this service created for it and its stored semantic data", true, false,
                () -> List.of(resolve(), new UndeployStep(deployments)));
    }

    private ResolveStep resolve() {
        return new ResolveStep(backends);
    }

    private List<Step> withBuild(List<Step> before, List<Step> after) {
        List<Step> steps = new ArrayList<>(before);
        steps.addAll(unitBuild.steps());
        steps.addAll(after);
        return steps;
    }

    /** A target made of a step list; targets that build run the {@link UnitBuild} steps and need inputs. */
    private final class StepsTarget implements Target {

        private final String name;
        private final String description;
        private final boolean changesDeployment;
        private final boolean builds;
        private final Supplier<List<Step>> steps;

        StepsTarget(String name, String description, boolean changesDeployment, boolean builds,
                Supplier<List<Step>> steps) {
            this.name = name;
            this.description = description;
            this.changesDeployment = changesDeployment;
            this.builds = builds;
            this.steps = steps;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public List<Step> steps() {
            return steps.get();
        }

        @Override
        public boolean changesDeployment() {
            return changesDeployment;
        }

        @Override
        public boolean needsInputs() {
            return builds;
        }
    }
}
