package io.flinkjobrunner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.sparql.SqliteQuoteFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Renders a final alert set the way the reference's tests print it ({@code *_result} files): one
 * {@code 'resource','event','severity'} line per alert in sqlite {@code -quote} style over the reference's STRING
 * (NUMERIC affinity) columns ({@link SqliteQuoteFormat}), sorted in byte order (the reference sorts in the C locale).
 */
final class AlertLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertLines() {
    }

    /** The sorted lines for the values of an {@code alerts_bulk} upsert view (JSON objects). */
    static List<String> of(Collection<String> alertValues) {
        List<String> lines = new ArrayList<>(alertValues.size());
        for (String value : alertValues) {
            JsonNode alert;
            try {
                alert = JSON.readTree(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an alert on the alerts topic is not JSON: " + value, e);
            }
            lines.add(SqliteQuoteFormat.line(Arrays.asList(text(alert, "resource"), text(alert, "event"),
                    text(alert, "severity"))));
        }
        lines.sort((left, right) -> Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8),
                right.getBytes(StandardCharsets.UTF_8)));
        return lines;
    }

    private static String text(JsonNode alert, String field) {
        JsonNode value = alert.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
