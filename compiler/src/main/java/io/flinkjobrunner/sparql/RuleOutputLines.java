package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prints rule output (the JSON values of the {@code attributes_insert} topic) like the reference's kms-rules tests:
 * {@code entityId,name,nodeType,valueType,datasetId,type,attributeValue} in sqlite {@code -quote} style, sorted.
 * Used by {@code fjr simulate --inserts}.
 */
public final class RuleOutputLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleOutputLines() {
    }

    /** The sorted lines of the given {@code attributes_insert} record values (JSON objects). */
    public static List<String> of(Collection<String> jsonValues) {
        List<String> lines = new ArrayList<>();
        for (String value : jsonValues) {
            if (value == null) {
                continue;
            }
            JsonNode row;
            try {
                row = JSON.readTree(value);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("attributes_insert value is not JSON: " + value, e);
            }
            List<String> fields = new ArrayList<>();
            for (String column : SqliteQuoteFormat.ATTRIBUTE_INSERT_COLUMNS) {
                JsonNode field = row.get(column);
                fields.add(field == null || field.isNull() ? null : field.asText());
            }
            lines.add(SqliteQuoteFormat.line(Arrays.asList(fields.toArray(new String[0]))));
        }
        lines.sort(null);
        return lines;
    }
}
