package io.flinkjobrunner.service.store;

import io.flinkjobrunner.service.jobs.JobStatus;
import io.flinkjobrunner.service.targets.JobContext;

import java.time.Instant;
import java.util.List;

/** A job as stored, without its events and artifacts. */
public record JobRecord(String id, String target, JobStatus status, JobContext context, Instant createdAt,
                        Instant updatedAt, Instant startedAt, Instant endedAt, String lastError, String owner,
                        boolean cancelRequested, long lastSeq, String requestMac, List<StepRecord> steps,
                        List<InputRecord> inputs) {

    /** One step of the job's target. */
    public record StepRecord(String name, String status, Instant startedAt, Instant endedAt) {
    }

    /** One input: URL already redacted; bytes and sha256 once downloaded. */
    public record InputRecord(String name, String url, Long bytes, String sha256) {
    }
}
