package io.flinkjobrunner.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;

import java.time.Instant;

/** Builds the JSON status events of the event sequence (job state changes and step state changes). */
public final class StatusEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusEvents() {
    }

    /** A job state change, e.g. {@code {"jobId":"a","status":"FAILED","at":"…","lastError":"…"}}. */
    public static NewEvent job(String jobId, JobStatus status, Instant at, String lastError) {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", jobId);
        n.put("status", status.name());
        n.put("at", at.toString());
        if (lastError != null) {
            n.put("lastError", lastError);
        }
        return new NewEvent(StoredEvent.Kind.STATUS, at, null, n.toString());
    }

    /** A step state change while the job is RUNNING. */
    public static NewEvent step(String jobId, String step, StepStatus stepStatus, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", jobId);
        n.put("status", JobStatus.RUNNING.name());
        n.put("step", step);
        n.put("stepStatus", stepStatus.name());
        n.put("at", at.toString());
        return new NewEvent(StoredEvent.Kind.STATUS, at, step, n.toString());
    }

    /** A log line of a step (or of the job itself when {@code step} is null). */
    public static NewEvent log(String step, String line, Instant at) {
        return new NewEvent(StoredEvent.Kind.LOG, at, step, line);
    }
}
