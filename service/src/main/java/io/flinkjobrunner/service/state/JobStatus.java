package io.flinkjobrunner.service.state;

/** Lifecycle of a job: {@code QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED}. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** True for the three final states. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
