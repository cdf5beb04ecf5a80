package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.topics.TopicRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rows the job reads as data (knowledge, constraints, combinations), typed and keyed, so they can be published to an
 * upsert-kafka topic or written to a database table.
 *
 * @param name Flink table name
 * @param columns column names and Flink SQL types, in table order
 * @param primaryKey primary-key columns
 * @param rows values in column order ({@code String}, {@code Integer} or {@code null})
 */
public record SemanticTable(String name, List<Column> columns, List<String> primaryKey, List<List<Object>> rows) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SemanticTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        rows = Collections.unmodifiableList(new ArrayList<>(rows));
    }

    /** A column name and its Flink SQL type ({@code STRING} or {@code INT}). */
    public record Column(String name, String type) {
    }

    /** The rows as upsert-kafka records on {@code topic}: key = primary-key columns, value = all columns (JSON). */
    public List<TopicRecord> records(String topic) {
        List<TopicRecord> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            ObjectNode key = JSON.createObjectNode();
            ObjectNode value = JSON.createObjectNode();
            for (int i = 0; i < columns.size(); i++) {
                String column = columns.get(i).name();
                Object v = row.get(i);
                put(value, column, v);
                if (primaryKey.contains(column)) {
                    put(key, column, v);
                }
            }
            out.add(new TopicRecord(topic, key.toString(), value.toString(), null));
        }
        return out;
    }

    private static void put(ObjectNode node, String column, Object v) {
        if (v == null) {
            node.putNull(column);
        } else if (v instanceof Integer i) {
            node.put(column, i);
        } else {
            node.put(column, v.toString());
        }
    }
}
