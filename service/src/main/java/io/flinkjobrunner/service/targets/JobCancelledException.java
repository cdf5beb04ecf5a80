package io.flinkjobrunner.service.targets;

/** Thrown by {@link StepContext#checkCancelled()} once cancellation of the job was requested. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException() {
        super("job cancelled by request", null, false, false);
    }
}
