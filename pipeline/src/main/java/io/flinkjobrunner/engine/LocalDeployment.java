package io.flinkjobrunner.engine;

import io.flinkjobrunner.runner.FlinkFailures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/**
 * A unit running unbounded on the local engine ({@link LocalEngine#deploy}): watch it, cancel it, or stop it with a
 * savepoint and deploy the next version from that savepoint so its state carries over.
 */
public final class LocalDeployment {

    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(2);

    private final JobClient job;

    LocalDeployment(JobClient job) {
        this.job = job;
    }

    /** The Flink job id. */
    public String jobId() {
        return job.getJobID().toHexString();
    }

    /** The job's current status ({@code RUNNING}, {@code FINISHED}, {@code FAILED}, ...). */
    public JobStatus status() {
        return await("query the status of", job.getJobStatus());
    }

    /** Cancels the job (its state is dropped). */
    public void cancel() {
        await("cancel", job.cancel());
    }

    /**
     * Stops the job after taking a savepoint in {@code directory}.
     *
     * @return the savepoint path, to pass as {@code restoreFrom} to {@link LocalEngine#deploy}
     */
    public String stopWithSavepoint(Path directory) {
        return await("stop with a savepoint", job.stopWithSavepoint(false, directory.toUri().toString(),
                SavepointFormatType.CANONICAL));
    }

    private <T> T await(String action, CompletableFuture<T> future) {
        try {
            return future.get(CONTROL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED, "cannot " + action + " job "
                    + jobId() + ": " + FlinkFailures.describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new LocalEngineException(LocalEngineException.Reason.TIMEOUT, "could not " + action + " job "
                    + jobId() + " within " + CONTROL_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED, "interrupted while trying to "
                    + action + " job " + jobId(), e);
        }
    }
}
