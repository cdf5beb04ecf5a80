package io.flinkjobrunner.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;

/** Test connector {@code 'connector' = 'collecting'}: appends each row's first column (a STRING) to a named list. */
public final class CollectingSinkFactory implements DynamicTableSinkFactory {

    static final ConfigOption<String> NAME = ConfigOptions.key("name").stringType().noDefaultValue();
    private static final Map<String, List<String>> COLLECTED = new ConcurrentHashMap<>();

    /** Rows collected under {@code name} so far. */
    static List<String> collected(String name) {
        synchronized (COLLECTED) {
            return List.copyOf(COLLECTED.getOrDefault(name, List.of()));
        }
    }

    @Override
    public String factoryIdentifier() {
        return "collecting";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(NAME);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        return new CollectingSink(helper.getOptions().get(NAME));
    }

    private record CollectingSink(String name) implements DynamicTableSink {

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
            return ChangelogMode.insertOnly();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            return SinkV2Provider.of(new CollectingRuntimeSink(name));
        }

        @Override
        public DynamicTableSink copy() {
            return new CollectingSink(name);
        }

        @Override
        public String asSummaryString() {
            return "collecting(" + name + ")";
        }
    }

    /** The runtime sink: serializable, holds only the list name. */
    private record CollectingRuntimeSink(String name) implements Sink<RowData> {

        @Override
        public SinkWriter<RowData> createWriter(WriterInitContext context) {
            return new CollectingWriter(name);
        }
    }

    private record CollectingWriter(String name) implements SinkWriter<RowData> {

        @Override
        public void write(RowData row, Context context) {
            synchronized (COLLECTED) {
                COLLECTED.computeIfAbsent(name, key -> new ArrayList<>()).add(row.getString(0).toString());
            }
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() {
        }
    }
}
