package io.flinkjobrunner.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

class StateTimeFunctionTest {

    private final StateTimeFunction statetime = new StateTimeFunction();

    @Test
    void sumsIntervalsStartingInStateOne() throws Exception {
        StateTimeFunction.Samples acc = statetime.createAccumulator();
        statetime.accumulate(acc, 1, 0L);
        statetime.accumulate(acc, 0, 1000L);
        statetime.accumulate(acc, 1, 3000L);
        statetime.accumulate(acc, 1, 5000L);
        statetime.accumulate(acc, 0, 8000L);
        // 0..1000 on, 3000..5000 on, 5000..8000 on
        assertEquals(6000L, statetime.getValue(acc));
    }

    @Test
    void outOfOrderSamplesAreSortedByTime() throws Exception {
        StateTimeFunction.Samples acc = statetime.createAccumulator();
        statetime.accumulate(acc, 0, 8000L);
        statetime.accumulate(acc, 1, 0L);
        statetime.accumulate(acc, 0, 2000L);
        assertEquals(2000L, statetime.getValue(acc));
    }

    @Test
    void nullWithoutAnInterval() throws Exception {
        StateTimeFunction.Samples acc = statetime.createAccumulator();
        assertNull(statetime.getValue(acc));
        statetime.accumulate(acc, 1, 1000L);
        assertNull(statetime.getValue(acc), "a single sample has no interval");
        statetime.accumulate(acc, null, 2000L);
        statetime.accumulate(acc, 0, null);
        assertNull(statetime.getValue(acc), "NULL samples are ignored");
        statetime.accumulate(acc, 0, 500L);
        assertNull(statetime.getValue(acc), "the last sample in state 1 opens no interval");
    }

    @Test
    void retractionRemovesASample() throws Exception {
        StateTimeFunction.Samples acc = statetime.createAccumulator();
        statetime.accumulate(acc, 1, 0L);
        statetime.accumulate(acc, 1, 1000L);
        statetime.accumulate(acc, 0, 4000L);
        assertEquals(4000L, statetime.getValue(acc));
        statetime.retract(acc, 1, 1000L);
        statetime.accumulate(acc, 0, 1000L);
        assertEquals(1000L, statetime.getValue(acc));
        statetime.retract(acc, 1, 0L);
        assertNull(statetime.getValue(acc));
    }

    @Test
    void mergeAddsSamplesOfOtherAccumulators() throws Exception {
        StateTimeFunction.Samples a = statetime.createAccumulator();
        StateTimeFunction.Samples b = statetime.createAccumulator();
        statetime.accumulate(a, 1, 0L);
        statetime.accumulate(b, 0, 3000L);
        statetime.merge(a, List.of(b));
        assertEquals(3000L, statetime.getValue(a));
        statetime.resetAccumulator(a);
        assertNull(statetime.getValue(a));
    }

    @Test
    void worksAsSqlAggregateWithRetractions() throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION statetime AS '" + StateTimeFunction.class.getName() + "'");
        // the inner SUM turns the second sample at t=3000 into a retraction of (3000, 1) followed by (3000, 0)
        String sql = "SELECT k, statetime(s, t) FROM ("
                + " SELECT k, t, CAST(SUM(s) AS INT) AS s FROM (VALUES"
                + " ('a', 0, 1), ('a', 1000, 0), ('a', 3000, 1), ('a', 4000, 0), ('a', 3000, -1), ('b', 0, 1), ('b', 8000, 0)"
                + " ) AS v(k, t, s) GROUP BY k, t"
                + ") GROUP BY k";
        Map<String, Long> result = new HashMap<>();
        try (CloseableIterator<Row> rows = env.executeSql(sql).collect()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                switch (row.getKind()) {
                    case INSERT, UPDATE_AFTER -> result.put((String) row.getField(0), (Long) row.getField(1));
                    default -> result.remove((String) row.getField(0));
                }
            }
        }
        assertEquals(Map.of("a", 1000L, "b", 8000L), result);
    }
}
