package io.flinkjobrunner.engine;

/** A local-engine operation failed; {@link #reason()} says which part, the message carries the root cause. */
public final class LocalEngineException extends RuntimeException {

    /** Which part of the local engine failed. */
    public enum Reason {
        /** The in-process Kafka broker or Flink MiniCluster could not start. */
        STARTUP,
        /** Creating topics, publishing or reading records failed. */
        KAFKA,
        /** The script could not be split or a statement was rejected by Flink. */
        SCRIPT,
        /** The Flink job failed while running. */
        JOB_FAILED,
        /** The Flink job did not finish within the requested time and was cancelled. */
        TIMEOUT,
        /** The caller asked to stop (e.g. its job was cancelled); the Flink job was cancelled. */
        CANCELLED
    }

    private final Reason reason;

    LocalEngineException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Which part of the local engine failed. */
    public Reason reason() {
        return reason;
    }
}
