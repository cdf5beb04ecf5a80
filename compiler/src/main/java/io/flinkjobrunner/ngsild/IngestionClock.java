package io.flinkjobrunner.ngsild;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Supplies the record timestamp of a row that has no {@code observedAt} (the reference used {@code CURRENT_TIMESTAMP}).
 *
 * <p>Callers pass the clock in, so the mapping stays pure: simulations use {@link #sequence(Instant)} (deterministic,
 * strictly increasing, so rows with the same key resolve in input order), a live feed passes the wall clock.
 */
@FunctionalInterface
public interface IngestionClock {

    /** The timestamp of the next row without {@code observedAt}. */
    Instant next();

    /** {@code base}, {@code base + 1 ms}, {@code base + 2 ms}, …: ties between rows break in input order. */
    static IngestionClock sequence(Instant base) {
        Objects.requireNonNull(base, "base");
        AtomicLong counter = new AtomicLong();
        return () -> base.plusMillis(counter.getAndIncrement());
    }
}
