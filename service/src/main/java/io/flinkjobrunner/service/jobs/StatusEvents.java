package io.flinkjobrunner.service.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.service.state.JobStatus;
import io.flinkjobrunner.service.state.StepStatus;
import io.flinkjobrunner.service.store.NewEvent;
import io.flinkjobrunner.service.store.StoredEvent;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds the JSON status events of the event sequence (job state changes and step state changes). */
public final class StatusEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusEvents() {
    }

    /** A job state change, e.g. {@code {"jobId":"a","status":"FAILED","at":"…","lastError":"…"}}. */
    public static NewEvent job(String jobId, JobStatus status, Instant at, String lastError) {
        ObjectNode n = jobNode(jobId, status, at);
        if (lastError != null) {
            n.put("lastError", lastError);
        }
        return new NewEvent(StoredEvent.Kind.STATUS, at, null, n.toString());
    }

    /**
     * A later attempt started: {@code {"jobId","status":"RUNNING","at","attempt":2,"owner":"<node>/<incarnation>"}}.
     */
    public static NewEvent resumed(String jobId, Instant at, int attempt, String owner) {
        ObjectNode n = jobNode(jobId, JobStatus.RUNNING, at).put("attempt", attempt).put("owner", owner);
        return new NewEvent(StoredEvent.Kind.STATUS, at, null, n.toString());
    }

    /**
     * An attempt ended without an outcome and the job waits for the next one:
     * {@code {"jobId","status":"QUEUED","at","attempt":1,"reason":"…"}} ({@code attempt} is the one that ended).
     */
    public static NewEvent requeued(String jobId, Instant at, int attempt, String reason) {
        ObjectNode n = jobNode(jobId, JobStatus.QUEUED, at).put("attempt", attempt).put("reason", reason);
        return new NewEvent(StoredEvent.Kind.STATUS, at, null, n.toString());
    }

    private static ObjectNode jobNode(String jobId, JobStatus status, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", jobId);
        n.put("status", status.name());
        n.put("at", at.toString());
        return n;
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

    /** Keys of the status event itself, not usable as the kind of a detail event. */
    private static final Set<String> RESERVED = Set.of("jobId", "status", "step", "stepStatus", "at", "lastError",
            "attempt", "owner", "reason");
    private static final Pattern KIND = Pattern.compile("^[a-z][A-Za-z0-9]{0,63}$");

    /**
     * A detail of a RUNNING job reported by a step (e.g. the Flink operator's view of the deployment), nested under
     * {@code kind}: {@code {"jobId":"a","status":"RUNNING","step":"deploy","at":"…","flink":{…}}}.
     */
    public static NewEvent detail(String jobId, String step, String kind, Map<String, ?> fields, Instant at) {
        if (kind == null || !KIND.matcher(kind).matches() || RESERVED.contains(kind)) {
            throw new IllegalArgumentException("status kind must match " + KIND.pattern() + " and not be one of "
                    + RESERVED + ", got '" + kind + "'");
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", jobId);
        n.put("status", JobStatus.RUNNING.name());
        if (step != null) {
            n.put("step", step);
        }
        n.put("at", at.toString());
        n.set(kind, JSON.valueToTree(fields));
        return new NewEvent(StoredEvent.Kind.STATUS, at, step, n.toString());
    }

    /** A log line of a step (or of the job itself when {@code step} is null). */
    public static NewEvent log(String step, String line, Instant at) {
        return new NewEvent(StoredEvent.Kind.LOG, at, step, line);
    }
}
