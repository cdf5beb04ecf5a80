package io.flinkjobrunner.udf;

import java.time.LocalDateTime;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.AggregateFunction;

/**
 * The {@code latest_value(value STRING, ts TIMESTAMP(3))} aggregate: the value of the latest row, the row the
 * latest-row views keep ({@code ROW_NUMBER() OVER (… ORDER BY ts DESC) = 1}: the greatest {@code ts}; of rows with
 * the same {@code ts} the first to arrive, as Flink's top-1 rank keeps it). A row without {@code ts} is older than
 * any other.
 *
 * <p>Why it exists: checks that read only whether an entity or an attribute instance exists (its type, its
 * deletion), not its value, joined the latest-row views, which turn every new row of a key into a retraction and an
 * insertion, even when nothing those checks read changed; counts dropped to 0 and came back on every valid value
 * update, and every re-sent entity row retracted and re-added the entity's focus rows of every constraint. Grouped
 * over the append-only history tables, this aggregate's result does not change when the value it is given does not,
 * and Flink's group aggregation emits nothing for an unchanged result, so such rows stop there (docs/benchmarks.md,
 * issue 20). The input is append-only, so there is no {@code retract}.
 */
@FunctionHint(
        input = {@DataTypeHint("STRING"), @DataTypeHint("TIMESTAMP(3)")},
        output = @DataTypeHint("STRING"))
public final class LatestValueFunction extends AggregateFunction<String, LatestValueFunction.Latest> {

    /** The SQL name the compiled unit registers this class under. */
    public static final String SQL_NAME = "latest_value";

    /** Accumulator: the latest row seen so far. */
    public static final class Latest {
        /** Whether a row has been accumulated. */
        public boolean seen;
        /** Its time; {@code null} when it had none. */
        public LocalDateTime ts;
        /** Its value. */
        public String value;
    }

    @Override
    public Latest createAccumulator() {
        return new Latest();
    }

    /** Takes the row if it is later than the latest one so far (a tie keeps the earlier arrival). */
    public void accumulate(Latest acc, String value, LocalDateTime ts) {
        if (!acc.seen || later(ts, acc.ts)) {
            acc.seen = true;
            acc.ts = ts;
            acc.value = value;
        }
    }

    /** Merges other accumulators into this one (two-phase aggregation): the latest of them wins. */
    public void merge(Latest acc, Iterable<Latest> others) {
        for (Latest other : others) {
            if (other.seen && (!acc.seen || later(other.ts, acc.ts))) {
                acc.seen = true;
                acc.ts = other.ts;
                acc.value = other.value;
            }
        }
    }

    /** Resets the accumulator. */
    public void resetAccumulator(Latest acc) {
        acc.seen = false;
        acc.ts = null;
        acc.value = null;
    }

    @Override
    public String getValue(Latest acc) {
        return acc.value;
    }

    private static boolean later(LocalDateTime candidate, LocalDateTime current) {
        return candidate != null && (current == null || candidate.isAfter(current));
    }
}
