package io.flinkjobrunner.service.targets;

import java.util.List;
import java.util.Set;

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

    /** False for targets that act on the deployment only (undeploy, setup): {@code urls} may then be omitted. */
    default boolean needsInputs() {
        return true;
    }

    /**
     * The inputs ({@code urls.<name>}) a submission must name, checked at submission (400 otherwise):
     * {@code knowledge} and {@code shacl} for targets that {@link #needsInputs()}, none for the others.
     */
    default Set<String> requiredInputs() {
        return needsInputs() ? Set.of("knowledge", "shacl") : Set.of();
    }
}
