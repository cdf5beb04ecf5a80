package io.flinkjobrunner.service.targets;

import io.flinkjobrunner.service.state.JobContext;
import io.flinkjobrunner.service.state.OwnershipLostException;
import io.flinkjobrunner.service.store.FencingToken;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Everything a step may use: its job's identity and context, workspace, inputs, log, artifacts, cancellation. */
public interface StepContext {

    String jobId();

    String target();

    /** Kubernetes context, namespace and deployment name of the job. */
    JobContext context();

    /** Private scratch directory of this job (exists; removed with the job). */
    Path workspace();

    /** The job log, lines tagged with the current step. */
    StepLog log();

    /** Artifact storage of this job. */
    ArtifactSink artifacts();

    /**
     * Emits a {@code status} event of the job's SSE stream that carries the state of something the step watches, e.g.
     * {@code status("flink", {resource, lifecycleState, jobState, error})}. The event's JSON is
     * {@code {"jobId", "status":"RUNNING", "step", "at", "<kind>": {fields}}}; it is stored durably like a log line.
     *
     * @param kind a lower-camel-case name ({@code [a-z][A-Za-z0-9]*}) other than the event's own keys
     * @param fields values serialisable as JSON (strings, numbers, booleans, null, lists and maps of those)
     */
    void status(String kind, Map<String, ?> fields);

    /**
     * Full input URLs by input name, including secrets such as pre-signed query strings. Never log them; use
     * {@link io.flinkjobrunner.service.secrets.UrlRedaction}. Empty after {@link #eraseInputUrls()}.
     */
    Map<String, String> inputUrls();

    /** Records a downloaded input (bytes and sha256 become visible in the job status). */
    void inputDownloaded(InputFile input);

    /**
     * Copies an artifact this job stored (in this attempt or an earlier one) into {@code to}.
     *
     * @return false if the job has no artifact of that name
     */
    boolean copyStoredArtifact(String name, Path to) throws IOException;

    /**
     * Forgets the full URLs in this run once they are no longer needed. The encrypted copy in the database stays until
     * the job ends, so that an attempt resumed on another replica can download again.
     */
    void eraseInputUrls();

    /**
     * Throws {@link JobCancelledException} if cancellation was requested, {@link OwnershipLostException} if this
     * replica no longer owns the job.
     */
    void checkCancelled();

    /** True once cancellation was requested or the job was lost: a long operation stops. */
    boolean cancelRequested();

    /**
     * The token of this run. Database writes made for the job outside the job's own records (deployment state,
     * semantic data) pass it to their transaction ({@link FencingToken#hold}), so they are refused once the job is lost.
     */
    FencingToken fencingToken();

    /**
     * Call right before every change PostgreSQL cannot fence (Kubernetes objects, topics): returns while this replica's
     * lease still covers the change, waits briefly for its renewal otherwise, and throws
     * {@link OwnershipLostException} when the job was lost or ownership cannot be confirmed in time.
     */
    void confirmOwnership();

    /** Hands a value to later steps of this job. */
    <T> void put(StepKey<T> key, T value);

    /** A value put by an earlier step. */
    <T> Optional<T> get(StepKey<T> key);

    /**
     * A value an earlier step must have put, and the running step declares in {@link Step#needs()}.
     *
     * @throws IllegalStateException if the step does not declare it, or no earlier step put it
     */
    <T> T require(StepKey<T> key);
}
