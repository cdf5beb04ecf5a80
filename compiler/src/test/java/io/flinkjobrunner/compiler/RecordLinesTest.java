package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SemanticTable TABLE = new SemanticTable("t", List.of(new SemanticTable.Column("subject",
            "STRING"), new SemanticTable.Column("index", "INT"), new SemanticTable.Column("object", "STRING"),
            new SemanticTable.Column("note", "STRING")), List.of("subject", "index"), rows());

    private static List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("<https://example.com/a>", 0, "\"quoted\" and \\ back\\slash", null));
        rows.add(Arrays.asList("_:b0", -12, "line\nbreak\ttab\rreturn\bback\fform", "\u0000\u0001\u001f\u007f"));
        rows.add(Arrays.asList("caf\u00e9 \u20ac \u2028 \ud83d\ude00", Integer.MAX_VALUE, "^[0-9]+\\.\\d{2}$", ""));
        rows.add(Arrays.asList("\"\\\"", null, null, "{\"json\":[1,2]}"));
        rows.add(Arrays.asList("half \ud83d pair", 7, "\ude00 low first \ud83d", "\u00ff\u0800\uffff"));
        return rows;
    }

    /** What the writer wrote before: each record's key and value from forEachRecord, through a Jackson generator. */
    private static byte[] throughJackson(SemanticTable table, String topic) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator line = JSON.getFactory().createGenerator(out)) {
            line.setRootValueSeparator(null);
            table.forEachRecord(topic, record -> {
                line.writeStartObject();
                line.writeStringField("topic", record.topic());
                line.writeStringField("key", record.key());
                line.writeStringField("value", record.value());
                line.writeEndObject();
                line.writeRaw('\n');
            });
        }
        return out.toByteArray();
    }

    private static byte[] lines(SemanticTable table, String topic) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RecordLines(out).write(table, topic);
        return out.toByteArray();
    }

    @Test
    void writesTheBytesJacksonWritesForQuotesBackslashesControlsNonAsciiAndSurrogates() throws IOException {
        byte[] expected = throughJackson(TABLE, "fjr.x.\"rdf\"");
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                new String(lines(TABLE, "fjr.x.\"rdf\""), StandardCharsets.ISO_8859_1));
        assertArrayEquals(expected, lines(TABLE, "fjr.x.\"rdf\""));
    }

    @Test
    void everyLineReadsBackIntoTheRecordItsRowMakes() throws IOException {
        String[] written = new String(lines(TABLE, "fjr.x.rdf"), StandardCharsets.UTF_8).split("\n");
        List<io.flinkjobrunner.topics.TopicRecord> records = TABLE.records("fjr.x.rdf");
        assertEquals(records.size(), written.length);
        for (int i = 0; i < written.length; i++) {
            JsonNode line = JSON.readTree(written[i]);
            assertEquals("fjr.x.rdf", line.get("topic").asText());
            assertEquals(records.get(i).key(), line.get("key").asText());
            assertEquals(records.get(i).value(), line.get("value").asText());
            assertEquals(TABLE.rows().get(i).get(2) == null ? null : TABLE.rows().get(i).get(2).toString(),
                    JSON.readTree(line.get("value").asText()).get("object").textValue());
        }
    }
}
