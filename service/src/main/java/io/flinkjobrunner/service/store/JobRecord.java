package io.flinkjobrunner.service.store;

import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.state.JobContext;

import java.time.Instant;
import java.util.List;

/** A job as stored, without its events and artifacts. */
public record JobRecord(String id, String target, JobStatus status, JobContext context, Instant createdAt,
                        Instant updatedAt, Instant startedAt, Instant endedAt, String lastError, String owner,
                        boolean cancelRequested, long lastSeq, String requestMac, int attempt,
                        List<StepRecord> steps, List<InputRecord> inputs, List<AttemptRecord> attempts) {

    /** One step of the job's target. */
    public record StepRecord(String name, String status, Instant startedAt, Instant endedAt) {
    }

    /** One input: URL already redacted; bytes and sha256 once downloaded. */
    public record InputRecord(String name, String url, Long bytes, String sha256) {
    }

    /**
     * One attempt at the job: the replica incarnation that ran it and how it ended (SUCCEEDED, FAILED, CANCELLED, LOST,
     * HANDED_BACK; null while it runs), with what happened to a lost or handed-back attempt.
     */
    public record AttemptRecord(int attempt, String owner, Instant startedAt, Instant endedAt, String outcome,
                                String detail) {
    }
}
