package io.flinkjobrunner.service.state;

/** Lifecycle of one step of a job; SKIPPED marks steps after a failure or cancellation. */
public enum StepStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, SKIPPED
}
