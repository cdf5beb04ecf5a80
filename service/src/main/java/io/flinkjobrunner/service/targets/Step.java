package io.flinkjobrunner.service.targets;

import java.util.Set;

/** One named unit of work of a target (download, parse, compile, deploy, …). */
public interface Step {

    /** Name shown in the job's steps and in every log line the step writes. */
    String name();

    /**
     * Does the work. Throw {@link StepFailedException} for an expected failure (its message becomes the job's
     * {@code lastError}); call {@link StepContext#checkCancelled()} between long operations.
     */
    void run(StepContext context) throws Exception;

    /**
     * The values this step reads with {@link StepContext#require}: in every target an earlier step must provide each
     * of them ({@link StepOrder}, checked when the service starts). Optional reads ({@link StepContext#get}) are not
     * listed.
     */
    default Set<StepKey<?>> needs() {
        return Set.of();
    }

    /**
     * Whether running this step again gives what its earlier run gave: it reads only the job's request and the
     * service's configuration (not a download, not a cluster). Only such a step runs again ahead of a step an attempt
     * after a lost one restores ({@link ResumePlan}); otherwise that attempt starts over.
     */
    default boolean repeatable() {
        return false;
    }

    /** The values this step hands to later steps with {@link StepContext#put}; putting any other is an error. */
    default Set<StepKey<?>> provides() {
        return Set.of();
    }
}
