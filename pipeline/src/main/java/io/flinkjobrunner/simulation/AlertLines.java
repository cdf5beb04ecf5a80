package io.flinkjobrunner.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.sparql.SqliteQuoteFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Renders a final alert set the way the reference's tests print it ({@code *_result} files): one
 * {@code 'resource','event','severity'} line per alert in sqlite {@code -quote} style over the reference's STRING
 * (NUMERIC affinity) columns ({@link SqliteQuoteFormat}), sorted in byte order (the reference sorts in the C locale).
 */
public final class AlertLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertLines() {
    }

    /** The sorted lines for the values of an {@code alerts_bulk} upsert view (JSON objects). */
    public static List<String> of(Collection<String> alertValues) {
        List<String> lines = new ArrayList<>(alertValues.size());
        for (String value : alertValues) {
            JsonNode alert = parse(value);
            lines.add(SqliteQuoteFormat.line(Arrays.asList(text(alert, "resource"), text(alert, "event"),
                    text(alert, "severity"))));
        }
        lines.sort((left, right) -> Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8),
                right.getBytes(StandardCharsets.UTF_8)));
        return lines;
    }

    /** The number of alerts per {@code severity} (an alert without one counts as {@code (none)}). */
    public static SortedMap<String, Integer> severities(Collection<String> alertValues) {
        SortedMap<String, Integer> counts = new TreeMap<>();
        for (String value : alertValues) {
            String severity = text(parse(value), "severity");
            counts.merge(severity == null ? "(none)" : severity, 1, Integer::sum);
        }
        return counts;
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert on the alerts topic is not JSON: " + value, e);
        }
    }

    private static String text(JsonNode alert, String field) {
        JsonNode value = alert.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
