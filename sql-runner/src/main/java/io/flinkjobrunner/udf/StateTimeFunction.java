package io.flinkjobrunner.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.functions.AggregateFunction;

/**
 * The {@code statetime(state INT, ts BIGINT)} aggregate: milliseconds an attribute spent in state 1.
 *
 * <p>Semantics of the reference's {@code flink_statetime_v1.py}: the samples are sorted by time and the result is the
 * sum of {@code t[i+1] - t[i]} over consecutive samples where {@code state[i] == 1}; NULL when there is no such
 * interval. Samples may arrive out of order and may be retracted (Flink retracts rows when an upstream join or
 * deduplication changes its mind), so the accumulator keeps a count of samples per timestamp instead of a list.
 * Several samples at the same timestamp form one sample that is in state 1 if any of them is.
 */
@FunctionHint(
        input = {@DataTypeHint("INT"), @DataTypeHint("BIGINT")},
        output = @DataTypeHint("BIGINT"))
public final class StateTimeFunction extends AggregateFunction<Long, StateTimeFunction.Samples> {

    /** The SQL name the compiled unit registers this class under. */
    public static final String SQL_NAME = "statetime";

    /** Accumulator: per timestamp, how many retained samples are in state 1 and how many are in another state. */
    public static final class Samples {
        /** Timestamp (epoch ms) to the number of samples in state 1 at that time. */
        public MapView<Long, Integer> active = new MapView<>();
        /** Timestamp (epoch ms) to the number of samples in any other state at that time. */
        public MapView<Long, Integer> inactive = new MapView<>();
    }

    @Override
    public Samples createAccumulator() {
        return new Samples();
    }

    /** Adds one sample; rows with a NULL state or time carry no interval and are ignored. */
    public void accumulate(Samples acc, Integer state, Long ts) throws Exception {
        if (state != null && ts != null) {
            adjust(state == 1 ? acc.active : acc.inactive, ts, 1);
        }
    }

    /** Removes one previously accumulated sample. */
    public void retract(Samples acc, Integer state, Long ts) throws Exception {
        if (state != null && ts != null) {
            adjust(state == 1 ? acc.active : acc.inactive, ts, -1);
        }
    }

    /** Merges other accumulators into this one (session windows, two-phase aggregation). */
    public void merge(Samples acc, Iterable<Samples> others) throws Exception {
        for (Samples other : others) {
            for (Map.Entry<Long, Integer> e : other.active.entries()) {
                adjust(acc.active, e.getKey(), e.getValue());
            }
            for (Map.Entry<Long, Integer> e : other.inactive.entries()) {
                adjust(acc.inactive, e.getKey(), e.getValue());
            }
        }
    }

    /** Resets the accumulator. */
    public void resetAccumulator(Samples acc) {
        acc.active.clear();
        acc.inactive.clear();
    }

    @Override
    public Long getValue(Samples acc) {
        try {
            TreeSet<Long> times = new TreeSet<>();
            acc.active.keys().forEach(times::add);
            acc.inactive.keys().forEach(times::add);
            List<Long> sorted = new ArrayList<>(times);
            long total = 0;
            boolean any = false;
            for (int i = 0; i + 1 < sorted.size(); i++) {
                if (acc.active.contains(sorted.get(i))) {
                    total += sorted.get(i + 1) - sorted.get(i);
                    any = true;
                }
            }
            return any ? total : null;
        } catch (Exception e) {
            throw new IllegalStateException("statetime: cannot read the accumulated samples", e);
        }
    }

    private static void adjust(MapView<Long, Integer> counts, long ts, int delta) throws Exception {
        Integer current = counts.get(ts);
        int next = (current == null ? 0 : current) + delta;
        if (next <= 0) {
            counts.remove(ts);
        } else {
            counts.put(ts, next);
        }
    }
}
