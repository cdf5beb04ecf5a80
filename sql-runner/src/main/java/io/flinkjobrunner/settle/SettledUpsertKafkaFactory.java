package io.flinkjobrunner.settle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.util.TimeUtils;

/**
 * Table connector {@value #IDENTIFIER}: Flink's {@code upsert-kafka} sink, with every key's changes held for a settle
 * window ({@value #WINDOW_KEY}, default 100 ms) and published only when they change what was last published for the
 * key ({@link SettleOperator}). Every other option is {@code upsert-kafka}'s and is validated by it; the topic format,
 * keys and tombstones are exactly {@code upsert-kafka}'s. Sink only; the primary key columns must be character
 * strings.
 */
public final class SettledUpsertKafkaFactory implements DynamicTableSinkFactory {

    /** The connector name in a {@code CREATE TABLE … WITH ('connector' = …)}. */
    public static final String IDENTIFIER = SettledSinkNames.IDENTIFIER;
    /** The option holding the settle window. */
    public static final String WINDOW_KEY = SettledSinkNames.WINDOW_KEY;
    /** How long a key's change waits for its own reversal before it is published. */
    public static final ConfigOption<Duration> SETTLE_WINDOW = ConfigOptions.key(WINDOW_KEY).durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("How long a key's change waits for its own reversal before it is published.");

    private static final String UPSERT_KAFKA = "upsert-kafka";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    /** Only the settle window: the remaining options are handed to {@code upsert-kafka}, which validates them. */
    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(SETTLE_WINDOW);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        ResolvedCatalogTable table = context.getCatalogTable();
        String where = "table " + context.getObjectIdentifier().asSummaryString() + " (connector '" + IDENTIFIER + "')";
        Map<String, String> options = new HashMap<>(table.getOptions());
        Duration window = window(options.remove(WINDOW_KEY), where);
        ResolvedSchema schema = table.getResolvedSchema();
        int[] primaryKey = primaryKey(schema, where);
        DynamicTableSink delegate = WrappedConnector.factory(context, DynamicTableSinkFactory.class, UPSERT_KAFKA)
                .createDynamicTableSink(WrappedConnector.context(context, options, UPSERT_KAFKA));
        DataType rowType = schema.toPhysicalRowDataType();
        return new SettledSink(delegate, window, rowType, primaryKey);
    }

    private static Duration window(String text, String where) {
        if (text == null) {
            return SETTLE_WINDOW.defaultValue();
        }
        Duration window;
        try {
            window = TimeUtils.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(where + ": '" + WINDOW_KEY + "' = '" + text + "' is not a duration ("
                    + e.getMessage() + ")");
        }
        if (window.toMillis() <= 0) {
            throw new ValidationException(where + ": '" + WINDOW_KEY + "' must be at least 1 ms, got '" + text
                    + "'; for no settling use the 'upsert-kafka' connector");
        }
        return window;
    }

    /** Positions of the primary-key columns among the physical columns. */
    private static int[] primaryKey(ResolvedSchema schema, String where) {
        List<String> key = schema.getPrimaryKey().map(k -> k.getColumns()).orElseThrow(() -> new ValidationException(
                where + " needs a PRIMARY KEY: changes are settled per key"));
        List<Column> physical = schema.getColumns().stream().filter(Column::isPhysical).toList();
        int[] positions = new int[key.size()];
        for (int i = 0; i < key.size(); i++) {
            String name = key.get(i);
            int position = -1;
            for (int c = 0; c < physical.size(); c++) {
                if (physical.get(c).getName().equals(name)) {
                    position = c;
                }
            }
            if (position < 0 || !physical.get(position).getDataType().getLogicalType()
                    .is(LogicalTypeFamily.CHARACTER_STRING)) {
                throw new ValidationException(where + ": primary key column '" + name
                        + "' must be a physical character-string column");
            }
            positions[i] = position;
        }
        return positions;
    }
}
