package io.flinkjobrunner.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/** What a progress source reports, on a controlled clock. */
class ReadProgressTest {

    /** The watermarks emitted, in order. */
    private static final class Emitted implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            throw new AssertionError("a progress source is never idle");
        }

        @Override
        public void markActive() {
        }
    }

    /** An input activity clock that runs with the wall clock except for the back-pressure added to it. */
    private static final class Activity implements RelativeClock {
        final AtomicLong wall;
        long blocked;

        Activity(AtomicLong wall) {
            this.wall = wall;
        }

        @Override
        public long relativeTimeMillis() {
            return wall.get() - blocked;
        }

        @Override
        public long relativeTimeNanos() {
            return relativeTimeMillis() * 1_000_000;
        }
    }

    @Test
    void eachPeriodicEmitReportsTheTimeOfThePreviousOneWithOrWithoutRecords() {
        AtomicLong clock = new AtomicLong(1_000);
        ReadProgress progress = new ReadProgress(clock::get, new Activity(clock));
        Emitted out = new Emitted();
        progress.onPeriodicEmit(out);
        assertEquals(List.of(), out.watermarks, "the first emit only marks the time");
        clock.set(1_010);
        progress.onPeriodicEmit(out);
        // an idle source still reports: its topic being quiet must not hold the settle stage back
        assertEquals(List.of(1_000L), out.watermarks);
        // a record whose Kafka timestamp (observedAt) is years old changes nothing
        progress.onEvent(GenericRowData.of(1), 5L, out);
        clock.set(1_300);
        progress.onPeriodicEmit(out);
        assertEquals(List.of(1_000L, 1_010L), out.watermarks,
                "after a stall the emit reports the previous emit's time: records read meanwhile still follow it");
    }

    @Test
    void anIntervalWithBackPressureReportsNothingNew() {
        AtomicLong clock = new AtomicLong(1_000);
        Activity activity = new Activity(clock);
        ReadProgress progress = new ReadProgress(clock::get, activity);
        Emitted out = new Emitted();
        progress.onPeriodicEmit(out);
        clock.set(1_010);
        progress.onPeriodicEmit(out);
        // the output was full for 6 of the next 10 ms: records read before 1 010 may still wait in the source
        clock.set(1_020);
        activity.blocked = 6;
        progress.onPeriodicEmit(out);
        assertEquals(List.of(1_000L), out.watermarks);
        // a free interval: what the source had read by the previous emit has gone out before this one
        clock.set(1_030);
        progress.onPeriodicEmit(out);
        assertEquals(List.of(1_000L, 1_020L), out.watermarks);
    }

    @Test
    void theStrategyKeepsTheKafkaRecordTimestamps() {
        var assigner = ReadProgress.strategy().createTimestampAssigner(() -> null);
        assertEquals(42L, assigner.extractTimestamp(GenericRowData.of(1), 42L));
    }
}
