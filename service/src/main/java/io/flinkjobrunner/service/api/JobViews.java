package io.flinkjobrunner.service.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flinkjobrunner.service.store.ArtifactRecord;
import io.flinkjobrunner.service.store.JobRecord;

import java.time.Instant;
import java.util.List;

/** Response bodies of the job API (field names of the reference kept: jobId, status, lastError, jobs, count). */
public final class JobViews {

    private JobViews() {
    }

    /** {@code {"jobId","status"}}: the answer to submit and cancel. */
    public record Accepted(String jobId, String status) {
    }

    /** A job in the list. */
    public record Summary(String jobId, String status, String target, String createdAt, String updatedAt,
                          String lastError) {
    }

    /** {@code GET /jobs}. */
    public record Page(List<Summary> jobs, long count, int offset, int limit) {
    }

    /** A step of a job. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Step(String name, String status, String startedAt, String endedAt) {
    }

    /** An input: the URL is shown without query string and credentials. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Input(String name, String url, Long bytes, String sha256) {
    }

    /**
     * One attempt at the job: the replica that ran it ({@code <node-id>/<incarnation>}), when, and how it ended
     * ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}, {@code LOST} with its replica, {@code HANDED_BACK} at a
     * shutdown; null while running).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Attempt(int attempt, String replica, String startedAt, String endedAt, String outcome,
                          String detail) {
    }

    /** Job context. */
    public record Context(String kubeContext, String namespace, String deployment) {
    }

    /** {@code GET /jobs/{id}}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(String jobId, String status, String target, String createdAt, String updatedAt,
                         String startedAt, String endedAt, String lastError, boolean cancelRequested, Context context,
                         List<Step> steps, List<Input> inputs, int attempt, List<Attempt> attempts) {
    }

    /** An artifact. */
    public record Artifact(String name, String mediaType, long bytes, String sha256, String createdAt) {
    }

    /** {@code GET /jobs/{id}/artifacts}. */
    public record Artifacts(String jobId, List<Artifact> artifacts) {
    }

    static Summary summary(JobRecord j) {
        return new Summary(j.id(), j.status().name(), j.target(), iso(j.createdAt()), iso(j.updatedAt()), j.lastError());
    }

    static Detail detail(JobRecord j) {
        return new Detail(j.id(), j.status().name(), j.target(), iso(j.createdAt()), iso(j.updatedAt()),
                iso(j.startedAt()), iso(j.endedAt()), j.lastError(), j.cancelRequested() && !j.status().isTerminal(),
                new Context(j.context().kubeContext().orElse(null), j.context().namespace().orElse(null),
                        j.context().deployment()),
                j.steps().stream().map(s -> new Step(s.name(), s.status(), iso(s.startedAt()), iso(s.endedAt()))).toList(),
                j.inputs().stream().map(i -> new Input(i.name(), i.url(), i.bytes(), i.sha256())).toList(),
                j.attempt(), j.attempts().stream().map(a -> new Attempt(a.attempt(), a.owner(), iso(a.startedAt()),
                        iso(a.endedAt()), a.outcome(), a.detail())).toList());
    }

    static Artifact artifact(ArtifactRecord a) {
        return new Artifact(a.name(), a.mediaType(), a.bytes(), a.sha256(), iso(a.createdAt()));
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
