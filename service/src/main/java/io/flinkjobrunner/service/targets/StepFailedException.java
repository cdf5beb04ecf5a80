package io.flinkjobrunner.service.targets;

/** An expected failure of a step; the message (already free of secrets) becomes the job's {@code lastError}. */
public class StepFailedException extends Exception {

    public StepFailedException(String message) {
        super(message);
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
