package io.flinkjobrunner.memory;

/**
 * The heap stayed full after a full collection ({@link HeapGuard}): an {@link OutOfMemoryError} thrown before the JVM's
 * own, by the loop that grows the data, so whoever handles running out of memory handles this too.
 */
public final class HeapExhaustedError extends OutOfMemoryError {

    private static final long serialVersionUID = 1L;

    HeapExhaustedError(long used, long max) {
        // built while the heap is full: a StringBuilder, not String.format (which loads locale data, and failed so)
        // nor '+' (whose first use links a call site); at most 100 %: the collectors count a survivor space in the
        // heap in use but not in the maximum
        super(new StringBuilder(96).append("Java heap space: ").append(Math.min(100, Math.round(used * 100.0 / max)))
                .append(" % of the heap still in use after a full garbage collection").toString());
    }
}
