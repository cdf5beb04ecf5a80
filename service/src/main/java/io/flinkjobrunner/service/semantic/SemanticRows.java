package io.flinkjobrunner.service.semantic;

import io.flinkjobrunner.compiler.SemanticTable;
import io.flinkjobrunner.topics.TopicRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of one semantic table keyed as they are published: primary-key JSON to row. The JSON is produced by
 * {@link SemanticTable#records}, so rows read back from PostgreSQL compare equal to freshly compiled rows exactly when
 * the Kafka records would be equal.
 *
 * @param layout table name, columns and primary key
 * @param rows rows by key JSON, in table order
 */
public record SemanticRows(Layout layout, Map<String, Row> rows) {

    public SemanticRows {
        Objects.requireNonNull(layout, "layout");
        rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /**
     * Name, columns (Flink types {@code STRING} or {@code INT}) and primary key of a semantic table.
     *
     * @param table table name
     * @param columns columns in table order
     * @param primaryKey primary-key columns
     */
    public record Layout(String table, List<SemanticTable.Column> columns, List<String> primaryKey) {

        public Layout {
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
        }

        /** The layout of a compiled table. */
        public static Layout of(SemanticTable table) {
            return new Layout(table.name(), table.columns(), table.primaryKey());
        }
    }

    /**
     * One row.
     *
     * @param key primary-key JSON (the Kafka key)
     * @param value row JSON (the Kafka value)
     * @param values typed values in column order ({@code String}, {@code Integer} or {@code null})
     */
    public record Row(String key, String value, List<Object> values) {
    }

    /** The rows of a compiled table. A primary key listed twice keeps its last row, as the topic would. */
    public static SemanticRows of(SemanticTable table) {
        return of(Layout.of(table), table.rows());
    }

    /** Rows in {@code layout}. */
    public static SemanticRows of(Layout layout, List<List<Object>> values) {
        SemanticTable table = new SemanticTable(layout.table(), layout.columns(), layout.primaryKey(), values);
        List<TopicRecord> records = table.records(layout.table());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            TopicRecord record = records.get(i);
            rows.remove(record.key());
            rows.put(record.key(), new Row(record.key(), record.value(), values.get(i)));
        }
        return new SemanticRows(layout, rows);
    }

    /** No rows in {@code layout}. */
    public static SemanticRows empty(Layout layout) {
        return new SemanticRows(layout, Map.of());
    }
}
