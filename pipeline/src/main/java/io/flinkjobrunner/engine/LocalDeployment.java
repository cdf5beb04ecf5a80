package io.flinkjobrunner.engine;

import io.flinkjobrunner.runner.FlinkFailures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;

/**
 * A unit running unbounded on the local engine ({@link LocalEngine#deploy}): watch it, cancel it, or stop it with a
 * savepoint and deploy the next version from that savepoint so its state carries over.
 */
public final class LocalDeployment {

    private static final Duration CONTROL_TIMEOUT = Duration.ofMinutes(2);

    private static final long POLL_MILLIS = 50;

    private final JobClient job;
    private final SharedMiniCluster cluster;

    LocalDeployment(JobClient job, SharedMiniCluster cluster) {
        this.job = job;
        this.cluster = cluster;
    }

    /** The Flink job id. */
    public String jobId() {
        return job.getJobID().toHexString();
    }

    /** The job's current status ({@code RUNNING}, {@code FINISHED}, {@code FAILED}, ...). */
    public JobStatus status() {
        return await("query the status of", job.getJobStatus());
    }

    /**
     * Waits until the job runs with every task deployed and running: only then has it restored its state (a savepoint
     * that does not fit the job fails it before this point).
     *
     * @param timeout longest wait
     * @param stop polled while waiting; when it returns true the wait ends
     * @return true once running, false if {@code stop} ended the wait first
     * @throws LocalEngineException {@code JOB_FAILED} with Flink's root cause if the job ends instead,
     *     {@code TIMEOUT} when {@code timeout} passes first
     */
    public boolean awaitRunning(Duration timeout, BooleanSupplier stop) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AccessExecutionGraph graph = await("inspect", cluster.executionGraph(job.getJobID()));
            JobStatus state = graph.getState();
            if (state.isTerminalState()) {
                String cause = graph.getFailureInfo() == null ? "the job ended " + state
                        : graph.getFailureInfo().getExceptionAsString().lines().findFirst().orElse(state.name());
                throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED, "job " + jobId() + " "
                        + state + " before it ran: " + cause, null);
            }
            if (state == JobStatus.RUNNING && allTasksRunning(graph)) {
                return true;
            }
            if (stop.getAsBoolean()) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new LocalEngineException(LocalEngineException.Reason.TIMEOUT, "job " + jobId()
                        + " was not running within " + timeout + " (" + state + ")", null);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalEngineException(LocalEngineException.Reason.JOB_FAILED, "interrupted while waiting "
                        + "for job " + jobId(), e);
            }
        }
    }

    private static boolean allTasksRunning(AccessExecutionGraph graph) {
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            if (vertex.getExecutionState() != ExecutionState.RUNNING
                    && vertex.getExecutionState() != ExecutionState.FINISHED) {
                return false;
            }
        }
        return true;
    }

    /** How many parallel instances the job's widest operator runs (the compiled unit's parallelism). */
    public int parallelism() {
        AccessExecutionGraph graph = await("inspect", cluster.executionGraph(job.getJobID()));
        int widest = 0;
        for (var vertex : graph.getAllVertices().values()) {
            widest = Math.max(widest, vertex.getParallelism());
        }
        return widest;
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
