package io.flinkjobrunner.settle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** The settle operator on a controlled processing-time clock (window 100 ms): what it publishes, and when. */
class SettleOperatorTest {

    private static final LogicalType STRING = new VarCharType(VarCharType.MAX_LENGTH);
    private static final InternalTypeInfo<RowData> ROWS = InternalTypeInfo.ofFields(STRING, STRING, STRING);
    private static final long WINDOW = 100;

    private static KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData> harness() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<String, RowData, RowData>(
                new SettleOperator(WINDOW, ROWS), new PrimaryKey(List.of(STRING, STRING, STRING), new int[] {0, 1}),
                Types.STRING);
        harness.setup(ROWS.createSerializer(new SerializerConfigImpl()));
        return harness;
    }

    private static RowData row(RowKind kind, String resource, String event, String severity) {
        return GenericRowData.ofKind(kind, StringData.fromString(resource), StringData.fromString(event),
                StringData.fromString(severity));
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
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            // the entity row arrives before its attribute: the count check fires for an instant
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Count", "warning"), 0);
            h.setProcessingTime(1_060);
            h.processElement(row(RowKind.DELETE, "urn:f:1", "Count", "warning"), 0);
            h.setProcessingTime(1_200);
            assertEquals(List.of(), drain(h));
        }
    }

    @Test
    void aChangeThatHoldsIsPublishedOnceWhenItsWindowEnds() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(1_099);
            assertEquals(List.of(), drain(h), "not before the window ends");
            h.setProcessingTime(1_100);
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            // the same content again (a replay, or an update that changes no column) is no change
            h.processElement(row(RowKind.UPDATE_AFTER, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(1_300);
            assertEquals(List.of(), drain(h));
            // a real change of the alert is published as an update of its key
            h.processElement(row(RowKind.UPDATE_AFTER, "urn:f:1", "Max", "critical"), 0);
            h.setProcessingTime(1_400);
            assertEquals(List.of("+U(urn:f:1,Max,critical)"), drain(h));
        }
    }

    @Test
    void aClearIsSettledTooAndCarriesTheKey() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(100);
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            // an update of a still-invalid value retracts the old row and adds the new one: no clear in between
            h.processElement(row(RowKind.DELETE, "urn:f:1", "Max", "warning"), 0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(300);
            assertEquals(List.of(), drain(h));
            h.processElement(row(RowKind.DELETE, "urn:f:1", "Max", null), 0);
            h.setProcessingTime(400);
            assertEquals(List.of("-D(urn:f:1,Max,warning)"), drain(h), "the clear carries the published row");
            // cleared and nothing pending: raising again starts from scratch
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "major"), 0);
            h.setProcessingTime(500);
            assertEquals(List.of("+I(urn:f:1,Max,major)"), drain(h));
        }
    }

    @Test
    void keysSettleIndependently() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(50);
            h.processElement(row(RowKind.INSERT, "urn:f:2", "Max", "warning"), 0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Count", "warning"), 0);
            h.setProcessingTime(100);
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            h.processElement(row(RowKind.DELETE, "urn:f:1", "Count", "warning"), 0);
            h.setProcessingTime(150);
            assertEquals(List.of("+I(urn:f:2,Max,warning)"), drain(h));
        }
    }

    @Test
    void pendingChangesAndPublishedRowsSurviveASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.setProcessingTime(100);
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            h.processElement(row(RowKind.INSERT, "urn:f:2", "Max", "warning"), 0);
            h.processElement(row(RowKind.INSERT, "urn:f:3", "Count", "warning"), 0);
            snapshot = h.snapshot(1, 120);
        }
        try (var restored = harness()) {
            restored.setProcessingTime(150);
            restored.initializeState(snapshot);
            restored.open();
            // urn:f:3's transient is undone after the restore; urn:f:2's change still holds
            restored.processElement(row(RowKind.DELETE, "urn:f:3", "Count", "warning"), 0);
            // the published row of urn:f:1 is known: an unchanged row again is no change
            restored.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            restored.setProcessingTime(400);
            assertEquals(List.of("+I(urn:f:2,Max,warning)"), drain(restored));
            restored.processElement(row(RowKind.DELETE, "urn:f:1", "Max", "warning"), 0);
            restored.setProcessingTime(600);
            assertEquals(List.of("-D(urn:f:1,Max,warning)"), drain(restored));
        }
    }

    @Test
    void theEndOfABoundedInputSettlesEveryPendingKey() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            h.processElement(row(RowKind.INSERT, "urn:f:1", "Max", "warning"), 0);
            h.processElement(row(RowKind.INSERT, "urn:f:2", "Count", "warning"), 0);
            h.processElement(row(RowKind.DELETE, "urn:f:2", "Count", "warning"), 0);
            h.endInput();
            assertEquals(List.of("+I(urn:f:1,Max,warning)"), drain(h));
            h.setProcessingTime(1_000);
            assertEquals(List.of(), drain(h), "settled keys have no timer left");
        }
    }

    @Test
    void refusesAWindowOfZero() {
        assertThrows(IllegalArgumentException.class, () -> new SettleOperator(0, ROWS));
    }
}
