package io.flinkjobrunner.settle;

import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.table.data.RowData;

/**
 * A source's read progress as watermarks: at every periodic emit ({@code pipeline.auto-watermark-interval}) the
 * wall-clock time of the <em>previous</em> periodic emit, whether or not a record arrived.
 *
 * <p>Watermarks travel in band, behind every record the source emitted before them, and an operator with several
 * inputs forwards the least of them. So a watermark {@code W} at the alert sink says: every record that every source
 * of the job had read by wall-clock time {@code W} has been fully processed. That is what {@link SettleOperator} waits
 * for, instead of assuming the job keeps up with the wall clock.
 *
 * <p>Why the previous emit's time and not the current one: a source task runs a due timer before the records that
 * waited with it, so after the task was starved (a loaded machine) its periodic emit comes first and the records read
 * meanwhile follow it; the current time would overtake them. By the next periodic emit the source has emitted what it
 * had read before the previous one, unless it is more than an interval's work behind (a replay of a long backlog).
 * A source that was back-pressured during the interval (its output full, records waiting in it) reports nothing new:
 * its records are behind, and progress resumes with the first interval it runs freely through.
 * The Kafka record timestamps are kept as the records' timestamps and not used for progress: a platform may set them
 * to {@code observedAt}, years old.
 */
final class ReadProgress implements WatermarkGenerator<RowData> {

    private final LongSupplier clock;
    private final RelativeClock active;
    private long previousEmit = Long.MIN_VALUE;
    private long previousActive;

    /**
     * @param clock the wall clock, in milliseconds
     * @param active the source's input activity clock: it stands still while the source is back-pressured
     */
    ReadProgress(LongSupplier clock, RelativeClock active) {
        this.clock = clock;
        this.active = active;
    }

    /** The strategy a progress source runs with: this generator on the system clock, record timestamps kept. */
    static WatermarkStrategy<RowData> strategy() {
        return WatermarkStrategy.forGenerator(context -> new ReadProgress(System::currentTimeMillis,
                context.getInputActivityClock()));
    }

    @Override
    public void onEvent(RowData event, long eventTimestamp, WatermarkOutput output) {
        // progress is reported by the periodic emit, which follows this record in band
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        long activeNow = active.relativeTimeMillis();
        // 1 ms of slack: the two clocks are read one after the other and rounded to milliseconds
        if (previousEmit != Long.MIN_VALUE && activeNow - previousActive >= now - previousEmit - 1) {
            output.emitWatermark(new Watermark(previousEmit));
        }
        previousEmit = now;
        previousActive = activeNow;
    }
}
