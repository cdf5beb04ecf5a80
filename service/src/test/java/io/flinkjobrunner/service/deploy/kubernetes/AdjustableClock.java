package io.flinkjobrunner.service.deploy.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset a test moves forward: a deadline passes exactly when the test says, whatever the
 * machine's load, instead of after a wall-clock time that a slow run may not reach in the state the test means.
 */
public final class AdjustableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    /** Moves the clock forward by {@code by}. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
