package io.flinkjobrunner.service.targets;

import java.util.List;

/**
 * A named sequence of steps, run in order until one fails. Implementations are CDI beans
 * ({@code @ApplicationScoped}); the {@link TargetRegistry} finds them.
 */
public interface Target {

    /** Name used in {@code POST /jobs} {@code "target"}. */
    String name();

    /** One sentence for the list of available targets. */
    String description();

    /** The steps, in execution order. */
    List<Step> steps();

    /**
     * True if jobs of this target change the deployment named in their context (deploy, undeploy): at most one such
     * job per deployment name is QUEUED or RUNNING at any time, across replicas; a second is refused with 409.
     */
    default boolean changesDeployment() {
        return false;
    }

    /**
     * False while a part the target needs is missing from this build (e.g. no {@link UnitBuild}); the registry then
     * treats it as not implemented and submissions are refused.
     */
    default boolean available() {
        return true;
    }

    /** False for targets that act on the deployment only (undeploy, setup): {@code urls} may then be omitted. */
    default boolean needsInputs() {
        return true;
    }
}
