package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.topics.TopicRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
        try {
            forEachRecord(topic, out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON generator writing into memory failed", e);
        }
        return out;
    }

    /** Receives records one at a time. */
    @FunctionalInterface
    public interface RecordConsumer {

        void accept(TopicRecord record) throws IOException;
    }

    /**
     * The {@link #records} one at a time, without holding them all: a large knowledge graph makes hundreds of
     * thousands of them, each a few hundred bytes of JSON.
     */
    public void forEachRecord(String topic, RecordConsumer consumer) throws IOException {
        boolean[] inKey = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            inKey[i] = primaryKey.contains(columns.get(i).name());
        }
        StringWriter buffer = new StringWriter(256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(buffer)) {
            json.setRootValueSeparator(null);
            for (List<Object> row : rows) {
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    if (inKey[i]) {
                        put(json, columns.get(i).name(), row.get(i));
                    }
                }
                json.writeEndObject();
                json.flush();
                String key = buffer.toString();
                buffer.getBuffer().setLength(0);
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    put(json, columns.get(i).name(), row.get(i));
                }
                json.writeEndObject();
                json.flush();
                String value = buffer.toString();
                buffer.getBuffer().setLength(0);
                consumer.accept(new TopicRecord(topic, key, value, null));
            }
        }
    }

    private static void put(JsonGenerator json, String column, Object v) throws IOException {
        json.writeFieldName(column);
        if (v == null) {
            json.writeNull();
        } else if (v instanceof Integer i) {
            json.writeNumber(i);
        } else {
            json.writeString(v.toString());
        }
    }
}
