package io.flinkjobrunner.settle;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;

/**
 * Publishes an upsert stream per key only once it has settled: the first change of a key starts its settle window;
 * the window ends when the wall clock has passed its end <em>and</em> the job's sources have read past it; then the
 * key's latest row (or its deletion) is emitted if, and only if, it differs from what was last emitted for the key.
 *
 * <p>A change that is undone within the window (a row raised and retracted again, or retracted and raised again with
 * the same content) emits nothing. That is how a check that flips for an instant while the job folds one entity
 * change in (its entity row before its attribute rows, an attribute's old row retracted before its new row is added)
 * never reaches the alerts topic.
 *
 * <p>Why the sources' progress and not the wall clock alone: the rows that undo a transient come from another source
 * (an entity's attribute record, read by the {@code attributes} source) or through other operators, and a loaded job
 * delivers them arbitrarily late. The sources report their read progress as watermarks ({@link ReadProgress}: a
 * wall-clock time by which they had emitted all they had read, in band behind their records), so a window ending at
 * {@code t} is closed by an event-time timer at {@code t}: it fires once every source has emitted everything it had
 * read by {@code t} and all of it has been processed. A processing-time timer at {@code t} settles the key at once
 * when no source reports progress (a job whose sources are plain connectors, or before the first report), and
 * {@link #MAX_HOLD_MILLIS} after the change at the latest, so a stalled source delays alerts but never swallows them.
 *
 * <p>State per key: the row last emitted, the pending row and the window's end, all in keyed state, so a savepoint
 * carries them (and the pending timers) to the next job. At the end of a bounded input every pending key is settled
 * at once. Rows are compared by their serialized form with the row kind set to {@code INSERT}: an update that changes
 * no column is no change.
 */
final class SettleOperator extends AbstractStreamOperator<RowData>
        implements OneInputStreamOperator<RowData, RowData>, Triggerable<String, VoidNamespace>, BoundedOneInput {

    private static final long serialVersionUID = 1L;
    static final String PUBLISHED = "published";
    static final String PENDING = "pending";
    static final String DUE = "due";
    /** The longest a change is held waiting for the sources' progress; beyond it the job is stalled, not settling. */
    static final long MAX_HOLD_MILLIS = 30_000;

    private final long windowMillis;
    private final TypeInformation<RowData> rowType;

    private transient TypeSerializer<RowData> rows;
    private transient ValueState<byte[]> published;
    private transient ValueState<byte[]> pending;
    private transient ValueState<Long> due;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient DataOutputSerializer buffer;
    private transient StreamRecord<RowData> record;

    /**
     * @param windowMillis how long a key's change waits for its own reversal, in milliseconds (&gt; 0)
     * @param rowType the rows' type (the sink's consumed row type)
     */
    SettleOperator(long windowMillis, TypeInformation<RowData> rowType) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("settle window must be positive: " + windowMillis + " ms");
        }
        this.windowMillis = windowMillis;
        this.rowType = rowType;
    }

    @Override
    public void open() throws Exception {
        super.open();
        rows = rowType.createSerializer(getExecutionConfig().getSerializerConfig());
        published = getPartitionedState(new ValueStateDescriptor<>(PUBLISHED, BytePrimitiveArraySerializer.INSTANCE));
        pending = getPartitionedState(new ValueStateDescriptor<>(PENDING, BytePrimitiveArraySerializer.INSTANCE));
        due = getPartitionedState(new ValueStateDescriptor<>(DUE, Types.LONG));
        timers = getInternalTimerService("settle", VoidNamespaceSerializer.INSTANCE, this);
        buffer = new DataOutputSerializer(256);
        record = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<RowData> element) throws Exception {
        RowData row = element.getValue();
        switch (row.getRowKind()) {
            case INSERT, UPDATE_AFTER -> pending.update(serialize(row));
            case DELETE -> pending.clear();
            // an upsert sink never receives UPDATE_BEFORE; its UPDATE_AFTER carries the change
            case UPDATE_BEFORE -> {
                return;
            }
            default -> throw new IllegalStateException("unknown row kind " + row.getRowKind());
        }
        if (due.value() == null) {
            long at = timers.currentProcessingTime() + windowMillis;
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, at);
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
            due.update(at);
        }
    }

    /** The wall clock passed the window's end: settle unless the sources report progress, which decides then. */
    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Long at = due.value();
        if (at == null) {
            return;
        }
        if (timer.getTimestamp() == at && holdLimit(at) > at && timers.currentWatermark() != Long.MIN_VALUE) {
            // the event-time timer (registered again: a job restored from a wall-clock-only savepoint has none)
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, holdLimit(at));
            return;
        }
        settle();
    }

    /** The sources have read past the window's end, and everything they had read by then has been processed. */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        Long at = due.value();
        if (at != null && timer.getTimestamp() == at) {
            settle();
        }
    }

    private long holdLimit(long due) {
        return due - windowMillis + MAX_HOLD_MILLIS;
    }

    /** A bounded input ended: nothing will undo the pending changes any more, so every one is settled now. */
    @Override
    public void endInput() throws Exception {
        List<String> keys;
        try (Stream<String> stream = this.<String>getKeyedStateBackend().getKeys(DUE, VoidNamespace.INSTANCE)) {
            keys = stream.toList();
        }
        for (String key : keys) {
            setCurrentKey(key);
            if (due.value() != null) {
                settle();
            }
        }
    }

    /** Emits the current key's pending state if it differs from what was emitted last, and ends its window. */
    private void settle() throws IOException {
        Long at = due.value();
        if (at != null) {
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, at);
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, holdLimit(at));
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, at);
        }
        byte[] next = pending.value();
        byte[] last = published.value();
        due.clear();
        pending.clear();
        if (Arrays.equals(next, last)) {
            return;
        }
        if (next == null) {
            published.clear();
            emit(last, RowKind.DELETE);
        } else {
            published.update(next);
            emit(next, last == null ? RowKind.INSERT : RowKind.UPDATE_AFTER);
        }
    }

    private void emit(byte[] serialized, RowKind kind) throws IOException {
        RowData row = rows.deserialize(new DataInputDeserializer(serialized));
        row.setRowKind(kind);
        output.collect(record.replace(row));
    }

    private byte[] serialize(RowData row) throws IOException {
        RowKind kind = row.getRowKind();
        row.setRowKind(RowKind.INSERT);
        try {
            buffer.clear();
            rows.serialize(row, buffer);
            return buffer.getCopyOfBuffer();
        } finally {
            row.setRowKind(kind);
        }
    }
}
