package io.flinkjobrunner.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatestValueFunctionTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 6, 12, 0);

    private final LatestValueFunction latest = new LatestValueFunction();
    private TableEnvironment env;

    @BeforeEach
    void environment() {
        env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("parallelism.default", "1");
        env.executeSql("CREATE TEMPORARY SYSTEM FUNCTION " + LatestValueFunction.SQL_NAME + " AS '"
                + UdfClassNames.LATEST_VALUE + "'");
    }

    @Test
    void theLatestRowByTimeDecides() {
        LatestValueFunction.Latest acc = latest.createAccumulator();
        assertNull(latest.getValue(acc), "no row, no value");
        latest.accumulate(acc, "a", T0);
        assertEquals("a", latest.getValue(acc));
        latest.accumulate(acc, "c", T0.plusSeconds(2));
        assertEquals("c", latest.getValue(acc));
        latest.accumulate(acc, "b", T0.plusSeconds(1));
        assertEquals("c", latest.getValue(acc), "an older row arriving late changes nothing");
        latest.accumulate(acc, null, T0.plusSeconds(3));
        assertNull(latest.getValue(acc), "a later NULL is the latest value");
    }

    @Test
    void aTieKeepsTheEarlierArrivalAndARowWithoutTimeIsTheOldest() {
        LatestValueFunction.Latest acc = latest.createAccumulator();
        latest.accumulate(acc, "first", T0);
        latest.accumulate(acc, "second", T0);
        assertEquals("first", latest.getValue(acc));
        latest.accumulate(acc, "untimed", null);
        assertEquals("first", latest.getValue(acc));
        LatestValueFunction.Latest untimed = latest.createAccumulator();
        latest.accumulate(untimed, "untimed", null);
        latest.accumulate(untimed, "timed", T0);
        assertEquals("timed", latest.getValue(untimed));
    }

    @Test
    void mergeTakesTheLatestOfTheAccumulators() {
        LatestValueFunction.Latest a = latest.createAccumulator();
        LatestValueFunction.Latest b = latest.createAccumulator();
        LatestValueFunction.Latest empty = latest.createAccumulator();
        latest.accumulate(a, "a", T0.plusSeconds(5));
        latest.accumulate(b, "b", T0.plusSeconds(9));
        latest.merge(a, List.of(empty, b));
        assertEquals("b", latest.getValue(a));
        latest.resetAccumulator(a);
        assertNull(latest.getValue(a));
    }

    /**
     * Attribute instances that exist, as the compiled unit counts them: the same set as the latest-row view
     * ({@code ROW_NUMBER() … ORDER BY ts DESC}, the reference's {@code attributes_view}) gives, and one change per
     * instance whose deletion state changes, none for value updates.
     */
    @Test
    void existingAttributesAgreeWithTheLatestRowViewAndIgnoreValueUpdates() throws Exception {
        // literals only: Flink plans a VALUES row with an expression (a CAST(NULL ...)) as a source of its own in a
        // UNION ALL, and the order between union inputs is not defined, so the changes' order was not either
        env.executeSql("""
                CREATE TEMPORARY VIEW attributes AS SELECT id, NULLIF(val, '-') AS val,
                  CASE d WHEN 'y' THEN TRUE WHEN 'n' THEN FALSE END AS deleted,
                  TIMESTAMP '2026-12-06 12:00:00' + t * INTERVAL '1' SECOND AS ts FROM (VALUES
                  ('a', '1', 'n', 1), ('a', '2', 'n', 2), ('a', '3', '-', 3), ('a', '4', 'n', 4),
                  ('b', '1', 'n', 1), ('b', '-', 'y', 5), ('b', '7', 'n', 4),
                  ('c', '1', 'n', 1), ('c', '-', 'y', 2), ('c', '2', 'n', 3), ('c', '3', 'n', 3),
                  ('d', '1', 'y', 1), ('d', '2', 'n', 1)
                ) AS v(id, val, d, t)""");
        List<Row> changes = collect("""
                SELECT id FROM attributes GROUP BY id
                HAVING latest_value(CASE WHEN deleted THEN 'deleted' END, ts) IS NULL""");
        assertEquals(Map.of("a", Row.of("a"), "c", Row.of("c")), state(changes));
        assertEquals(state(collect("""
                SELECT id FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rownum FROM attributes)
                WHERE rownum = 1 AND deleted IS NOT TRUE""")), state(changes));
        // a: four value updates (one with deleted NULL), one insertion; b: inserted, deleted (a late update does not
        // bring it back); c: inserted, deleted, inserted again, then a value update; d: a deletion first, a tie that
        // does not win. HAVING passes a change of the aggregate on as it is: a deletion arrives as a retraction.
        assertEquals(List.of("+I[a]", "+I[b]", "-U[b]", "+I[c]", "-U[c]", "+U[c]"),
                changes.stream().map(Row::toString).toList());
    }

    /** Entities that exist with their latest type: re-sent rows change nothing, a new type or a deletion does. */
    @Test
    void existingEntitiesCarryTheirLatestType() throws Exception {
        env.executeSql("""
                CREATE TEMPORARY VIEW entities AS SELECT id, type, deleted,
                  TIMESTAMP '2026-12-06 12:00:00' + t * INTERVAL '1' SECOND AS ts FROM (VALUES
                  ('e', 'T', false, 1), ('e', 'T', false, 2), ('e', 'T', false, 3),
                  ('f', 'T', false, 1), ('f', 'U', false, 2), ('f', 'T', false, 1),
                  ('g', 'T', false, 1), ('g', 'T', true, 2), ('g', 'T', false, 1)
                ) AS v(id, type, deleted, t)""");
        List<Row> changes = collect("""
                SELECT id, latest_value(type, ts) AS type FROM entities GROUP BY id
                HAVING latest_value(CASE WHEN deleted THEN 'deleted' END, ts) IS NULL""");
        assertEquals(Map.of("e", Row.of("e", "T"), "f", Row.of("f", "U")), state(changes));
        assertEquals(state(collect("""
                SELECT id, type FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rownum FROM entities)
                WHERE rownum = 1 AND deleted IS NOT TRUE""")), state(changes));
        assertEquals(List.of("+I[e, T]", "+I[f, T]", "-U[f, T]", "+U[f, U]", "+I[g, T]", "-U[g, T]"),
                changes.stream().map(Row::toString).toList());
    }

    /** The rows a changelog ends with, by their first column. */
    private static Map<String, Row> state(List<Row> changes) {
        Map<String, Row> state = new TreeMap<>();
        for (Row change : changes) {
            Row row = Row.copy(change);
            row.setKind(RowKind.INSERT);
            if (change.getKind() == RowKind.INSERT || change.getKind() == RowKind.UPDATE_AFTER) {
                state.put((String) row.getField(0), row);
            } else {
                state.remove((String) row.getField(0), row);
            }
        }
        return state;
    }

    private List<Row> collect(String sql) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
