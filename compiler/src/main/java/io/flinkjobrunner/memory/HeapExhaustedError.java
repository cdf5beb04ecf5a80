package io.flinkjobrunner.memory;

import java.util.Locale;

/**
 * The heap stayed full after a full collection ({@link HeapGuard}): an {@link OutOfMemoryError} thrown before the JVM's
 * own, by the loop that grows the data, so whoever handles running out of memory handles this too.
 */
public final class HeapExhaustedError extends OutOfMemoryError {

    private static final long serialVersionUID = 1L;

    HeapExhaustedError(long used, long max) {
        super(String.format(Locale.ROOT, "Java heap space: %d %% of the heap still in use after a full garbage "
                + "collection", Math.round(used * 100.0 / max)));
    }
}
