package io.flinkjobrunner.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/**
 * The settle operator on a controlled processing-time clock (window 100 ms), with and without the sources' read
 * progress (watermarks): what it publishes, and when.
 */
class SettleOperatorTest {

    private static final LogicalType STRING = new VarCharType(VarCharType.MAX_LENGTH);
    private static final InternalTypeInfo<RowData> ROWS = InternalTypeInfo.ofFields(STRING, STRING, STRING);
    private static final long WINDOW = 100;

    /** An open harness around a fresh operator at processing time {@code start}. */
    private static KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> open(long start,
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData>(
                new SettleOperator(WINDOW, ROWS), new PrimaryKey(List.of(STRING, STRING, STRING), new int[] {0, 1}),
                Types.STRING);
        harness.setup(ROWS.createSerializer(new SerializerConfigImpl()));
        harness.setProcessingTime(start);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    /** A change: {@code +I}, {@code +U} or {@code -D}, then resource, event and severity. */
    private static RowData change(String kind, String resource, String event, String severity) {
        RowKind rowKind = switch (kind) {
            case "+I" -> RowKind.INSERT;
            case "+U" -> RowKind.UPDATE_AFTER;
            case "-D" -> RowKind.DELETE;
            default -> throw new IllegalArgumentException(kind);
        };
        return GenericRowData.ofKind(rowKind, StringData.fromString(resource), StringData.fromString(event),
                StringData.fromString(severity));
    }

    /** Feeds {@code changes} at the current time, moves the clock to {@code time} and returns what was published. */
    private static List<String> step(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h, long time,
            RowData... changes) throws Exception {
        for (RowData c : changes) {
            h.processElement(c, 0);
        }
        h.setProcessingTime(time);
        return drain(h);
    }

    /** The output as {@code +I(r,e,s)}, {@code +U(...)}, {@code -D(...)}, then cleared. */
    private static List<String> drain(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h) {
        List<String> out = new ArrayList<>();
        for (RowData row : h.extractOutputValues()) {
            out.add(row.getRowKind().shortString() + "(" + row.getString(0) + "," + row.getString(1) + ","
                    + row.getString(2) + ")");
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void aChangeUndoneWithinTheWindowPublishesNothing() throws Exception {
        try (var h = open(1_000, null)) {
            // the entity row arrives before its attribute: the count check fires for an instant
            assertEquals(List.of(), step(h, 1_060, change("+I", "urn:f:1", "Count", "warning")));
            assertEquals(List.of(), step(h, 1_200, change("-D", "urn:f:1", "Count", "warning")));
        }
    }

    @Test
    void aChangeThatHoldsIsPublishedOnceWhenItsWindowEnds() throws Exception {
        try (var h = open(1_000, null)) {
            assertEquals(List.of(), step(h, 1_099, change("+I", "urn:f:1", "Max", "warning")),
                    "not before the window ends");
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(h, 1_100));
            // the same content again (a replay, or an update that changes no column) is no change
            assertEquals(List.of(), step(h, 1_300, change("+U", "urn:f:1", "Max", "warning")));
            // a real change of the alert is published as an update of its key
            assertEquals(List.of("+U(urn:f:1,Max,critical)"), step(h, 1_400, change("+U", "urn:f:1", "Max",
                    "critical")));
        }
    }

    @Test
    void aClearIsSettledTooAndCarriesTheKey() throws Exception {
        try (var h = open(0, null)) {
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(h, 100, change("+I", "urn:f:1", "Max", "warning")));
            // an update of a still-invalid value retracts the old row and adds the new one: no clear in between
            assertEquals(List.of(), step(h, 300, change("-D", "urn:f:1", "Max", "warning"),
                    change("+I", "urn:f:1", "Max", "warning")));
            assertEquals(List.of("-D(urn:f:1,Max,warning)"), step(h, 400, change("-D", "urn:f:1", "Max", null)),
                    "the clear carries the published row");
            // cleared and nothing pending: raising again starts from scratch
            assertEquals(List.of("+I(urn:f:1,Max,major)"), step(h, 500, change("+I", "urn:f:1", "Max", "major")));
        }
    }

    @Test
    void keysSettleIndependently() throws Exception {
        try (var h = open(0, null)) {
            assertEquals(List.of(), step(h, 50, change("+I", "urn:f:1", "Max", "warning")));
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(h, 100, change("+I", "urn:f:2", "Max", "warning"),
                    change("+I", "urn:f:1", "Count", "warning")));
            assertEquals(List.of("+I(urn:f:2,Max,warning)"), step(h, 150, change("-D", "urn:f:1", "Count",
                    "warning")));
        }
    }

    @Test
    void pendingChangesAndPublishedRowsSurviveASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(0, null)) {
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(h, 100, change("+I", "urn:f:1", "Max", "warning")));
            step(h, 100, change("+I", "urn:f:2", "Max", "warning"), change("+I", "urn:f:3", "Count", "warning"));
            snapshot = h.snapshot(1, 120);
        }
        try (var restored = open(150, snapshot)) {
            // urn:f:3's transient is undone after the restore, urn:f:2's change still holds, and urn:f:1's
            // published row is known: the same row again is no change
            assertEquals(List.of("+I(urn:f:2,Max,warning)"), step(restored, 400,
                    change("-D", "urn:f:3", "Count", "warning"), change("+I", "urn:f:1", "Max", "warning")));
            assertEquals(List.of("-D(urn:f:1,Max,warning)"), step(restored, 600, change("-D", "urn:f:1", "Max",
                    "warning")));
        }
    }

    @Test
    void theEndOfABoundedInputSettlesEveryPendingKey() throws Exception {
        try (var h = open(0, null)) {
            step(h, 0, change("+I", "urn:f:1", "Max", "warning"), change("+I", "urn:f:2", "Count", "warning"),
                    change("-D", "urn:f:2", "Count", "warning"));
            h.endInput();
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            assertEquals(List.of(), step(h, 1_000), "settled keys have no timer left");
        }
    }

    /** The sources report that they have read, and the job processed, everything up to {@code time}. */
    private static List<String> progress(KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> h,
            long time) throws Exception {
        h.processWatermark(new Watermark(time));
        return drain(h);
    }

    @Test
    void onceTheSourcesReportProgressAWindowEndsOnlyWhenTheyHaveReadPastIt() throws Exception {
        try (var h = open(1_000, null)) {
            progress(h, 990);
            // a loaded job: the entity row's transient reaches the sink, its attribute row is still on its way
            assertEquals(List.of(), step(h, 1_100, change("+I", "urn:f:1", "Count", "warning")));
            assertEquals(List.of(), step(h, 1_400), "the wall clock alone no longer ends the window");
            assertEquals(List.of(), progress(h, 1_050), "the sources have not read up to the window's end yet");
            // the attribute row arrives 300 ms late, before the sources report that they read past 1 100
            assertEquals(List.of(), step(h, 1_450, change("-D", "urn:f:1", "Count", "warning")));
            assertEquals(List.of(), progress(h, 1_100), "undone within the window: nothing is published");
            assertEquals(List.of(), step(h, 40_000), "no timer is left behind");
        }
    }

    @Test
    void aChangeThatHoldsIsPublishedWhenTheSourcesHaveReadPastItsWindow() throws Exception {
        try (var h = open(1_000, null)) {
            progress(h, 1_000);
            assertEquals(List.of(), step(h, 1_150, change("+I", "urn:f:1", "Max", "warning")));
            assertEquals(List.of(), progress(h, 1_099));
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), progress(h, 1_100));
            // an idle job: the sources report progress at the wall clock, so a window ends on time
            assertEquals(List.of(), step(h, 1_200, change("-D", "urn:f:1", "Max", "warning")));
            assertEquals(List.of(), step(h, 1_300));
            assertEquals(List.of("-D(urn:f:1,Max,warning)"), progress(h, 1_300));
        }
    }

    @Test
    void aStalledSourceDelaysAChangeButNeverSwallowsIt() throws Exception {
        try (var h = open(1_000, null)) {
            progress(h, 1_000);
            assertEquals(List.of(), step(h, 1_100, change("+I", "urn:f:1", "Max", "warning")));
            assertEquals(List.of(), step(h, 1_000 + SettleOperator.MAX_HOLD_MILLIS - 1));
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(h, 1_000 + SettleOperator.MAX_HOLD_MILLIS));
            assertEquals(List.of(), progress(h, 50_000), "settled once");
        }
    }

    @Test
    void aWindowPendingInASnapshotEndsWithTheSourcesProgressAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(1_000, null)) {
            progress(h, 1_000);
            step(h, 1_050, change("+I", "urn:f:1", "Max", "warning"));
            snapshot = h.snapshot(1, 1_050);
        }
        try (var restored = open(1_200, snapshot)) {
            // the restored job has no progress report yet: its clock decides, as for plain sources
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), step(restored, 1_200));
            progress(restored, 1_200);
            assertEquals(List.of(), step(restored, 1_400, change("+U", "urn:f:1", "Max", "critical")));
            assertEquals(List.of("+U(urn:f:1,Max,critical)"), progress(restored, 1_300));
        }
    }

    @Test
    void refusesAWindowOfZero() {
        assertThrows(IllegalArgumentException.class, () -> new SettleOperator(0, ROWS));
    }
}
