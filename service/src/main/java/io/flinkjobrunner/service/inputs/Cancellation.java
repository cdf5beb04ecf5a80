package io.flinkjobrunner.service.inputs;

/**
 * Asks whether the work in progress should stop. Polled by the downloader's watchdog, which aborts the transfer within
 * a fraction of a second; a job step passes {@code context::cancelRequested}.
 */
@FunctionalInterface
public interface Cancellation {

    /** Never cancelled. */
    Cancellation NONE = () -> false;

    boolean isCancelled();
}
