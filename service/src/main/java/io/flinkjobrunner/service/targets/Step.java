package io.flinkjobrunner.service.targets;

/** One named unit of work of a target (download, parse, compile, deploy, …). */
public interface Step {

    /** Name shown in the job's steps and in every log line the step writes. */
    String name();

    /**
     * Does the work. Throw {@link StepFailedException} for an expected failure (its message becomes the job's
     * {@code lastError}); call {@link StepContext#checkCancelled()} between long operations.
     */
    void run(StepContext context) throws Exception;
}
