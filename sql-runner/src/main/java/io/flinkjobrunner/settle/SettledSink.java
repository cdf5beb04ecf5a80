package io.flinkjobrunner.settle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ParallelismProvider;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * An upsert sink (the {@code upsert-kafka} sink it wraps) with a {@link SettleOperator} in front of it, keyed by the
 * table's primary key: what reaches the topic is each key's settled state, not every intermediate change.
 */
final class SettledSink implements DynamicTableSink {

    private final DynamicTableSink delegate;
    private final Duration window;
    private final DataType rowType;
    private final int[] primaryKey;

    SettledSink(DynamicTableSink delegate, Duration window, DataType rowType, int[] primaryKey) {
        this.delegate = delegate;
        this.window = window;
        this.rowType = rowType;
        this.primaryKey = primaryKey.clone();
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return delegate.getChangelogMode(requestedMode);
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SinkRuntimeProvider inner = delegate.getSinkRuntimeProvider(context);
        if (!(inner instanceof DataStreamSinkProvider) && !(inner instanceof SinkV2Provider)) {
            throw new TableException("the settled sink cannot wrap a " + inner.getClass().getName());
        }
        TypeInformation<RowData> rows = context.createTypeInformation(rowType);
        List<LogicalType> columns = rowType.getLogicalType().getChildren();
        Optional<Integer> parallelism = inner instanceof ParallelismProvider p ? p.getParallelism() : Optional.empty();
        long windowMillis = window.toMillis();
        String name = "Settle[" + windowMillis + " ms]";
        return new DataStreamSinkProvider() {
            @Override
            public DataStreamSink<?> consumeDataStream(ProviderContext provider, DataStream<RowData> input) {
                SingleOutputStreamOperator<RowData> settled = input
                        .keyBy(new PrimaryKey(columns, primaryKey), Types.STRING)
                        .transform(name, rows, new SettleOperator(windowMillis, rows));
                provider.generateUid("settle").ifPresent(settled::uid);
                // the sink's own parallelism, so the settled rows reach it unshuffled and in order per key
                parallelism.ifPresent(settled::setParallelism);
                if (inner instanceof DataStreamSinkProvider stream) {
                    return stream.consumeDataStream(provider, settled);
                }
                SinkV2Provider sinkProvider = (SinkV2Provider) inner;
                DataStreamSink<RowData> sink = settled.sinkTo(sinkProvider.createSink());
                provider.generateUid("sink").ifPresent(sink::uid);
                parallelism.ifPresent(sink::setParallelism);
                return sink;
            }

            @Override
            public Optional<Integer> getParallelism() {
                return parallelism;
            }
        };
    }

    @Override
    public DynamicTableSink copy() {
        return new SettledSink(delegate.copy(), window, rowType, primaryKey);
    }

    @Override
    public String asSummaryString() {
        return delegate.asSummaryString() + ", settled " + window.toMillis() + " ms";
    }
}
