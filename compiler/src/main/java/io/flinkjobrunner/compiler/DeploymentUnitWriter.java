package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders a deployment unit as files: {@code unit.sql} (the script), {@code semantic-data/<table>.json} (typed rows
 * with columns and primary key), {@code semantic-data/records.jsonl} (the upsert records to publish, one JSON object
 * {@code {topic,key,value}} per line), {@code coverage.json}, {@code coverage.txt} and {@code unit.json} (the
 * statements with their kind and shape, the topics, bootstrap servers and table prefix). The CLI writes them to a
 * directory; the service stores them as job artifacts. Both get the same bytes from {@link #write(DeploymentUnit,
 * Sink)}. {@link DeploymentUnitReader} reads the files back into the same unit, which is how a job resumed on another
 * replica continues from its stored build instead of compiling again.
 *
 * <p>Every file is streamed to its sink as it is rendered: the semantic data of a large knowledge graph renders to
 * hundreds of MiB of JSON (every row three times: in its table, and as the key and value of its record), which must
 * never be held in memory whole.
 */
public final class DeploymentUnitWriter {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** The files of every unit, in the order they are written: path, media type. */
    public static final List<FileKind> FILES = List.of(
            new FileKind("unit.sql", "application/sql"),
            new FileKind("semantic-data/rdf.json", "application/json"),
            new FileKind("semantic-data/constraint_table.json", "application/json"),
            new FileKind("semantic-data/constraint_combination_table.json", "application/json"),
            new FileKind("semantic-data/records.jsonl", "application/x-ndjson"),
            new FileKind("coverage.json", "application/json"),
            new FileKind("coverage.txt", "text/plain"),
            new FileKind("unit.json", "application/json"));

    /**
     * One file of a unit.
     *
     * @param path relative path, {@code /}-separated ({@code semantic-data/rdf.json})
     * @param mediaType its media type ({@code application/sql}, {@code application/json},
     *     {@code application/x-ndjson}, {@code text/plain})
     */
    public record FileKind(String path, String mediaType) {
    }

    /** Where the rendered files go, one at a time, in {@link #FILES} order. */
    @FunctionalInterface
    public interface Sink {

        /**
         * Writes one file: {@code content} renders its UTF-8 bytes into the stream it is given, which the sink
         * provides and closes (a sink may store the file once it is complete).
         */
        void file(FileKind file, Content content) throws IOException;
    }

    /** Renders one file's bytes. */
    @FunctionalInterface
    public interface Content {

        void writeTo(OutputStream out) throws IOException;
    }

    private DeploymentUnitWriter() {
    }

    /** Renders the unit's files into {@code sink}, in {@link #FILES} order. */
    public static void write(DeploymentUnit unit, Sink sink) throws IOException {
        for (FileKind file : FILES) {
            sink.file(file, out -> render(unit, file.path(), out));
        }
    }

    /** Writes the unit's files into {@code directory} (created if needed; existing files are replaced). */
    public static void write(DeploymentUnit unit, Path directory) throws IOException {
        write(unit, (file, content) -> {
            Path target = directory.resolve(file.path());
            Files.createDirectories(target.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
                content.writeTo(out);
            }
        });
    }

    private static void render(DeploymentUnit unit, String path, OutputStream out) throws IOException {
        switch (path) {
            case "unit.sql" -> out.write(unit.script().getBytes(StandardCharsets.UTF_8));
            case "semantic-data/records.jsonl" -> records(unit, out);
            case "coverage.json" -> unit.coverage().writeJson(out);
            case "unit.json" -> outline(unit, out);
            case "coverage.txt" -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                unit.coverage().writeText(writer);
                writer.flush();
            }
            default -> table(unit.table(path.substring("semantic-data/".length(), path.length() - ".json".length())),
                    out);
        }
        out.flush();
    }

    /**
     * What of the unit the other files do not hold: the statements as the compiler made them (kind, shape, SQL; the
     * script cannot be split back into statements safely, a string literal may contain anything), the topics, the
     * bootstrap servers and the table prefix.
     */
    private static void outline(DeploymentUnit unit, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("tablePrefix", unit.tables().prefix());
            json.writeStringField("bootstrapServers", unit.bootstrapServers());
            json.writeObjectField("topics", unit.topics());
            json.writeArrayFieldStart("statements");
            for (UnitStatement s : unit.statements()) {
                json.writeStartObject();
                json.writeStringField("kind", s.kind().name());
                json.writeStringField("shape", s.shape());
                json.writeStringField("sql", s.sql());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * A semantic table as an indented JSON object: name, columns, primary key and rows, the bytes an
     * {@code ObjectMapper} with {@code INDENT_OUTPUT} wrote for the record, streamed row by row without its
     * serializer lookups per value (a sixth of writing the unit of 10,000 shapes, docs/benchmarks.md).
     */
    private static void table(SemanticTable table, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("name", table.name());
            json.writeArrayFieldStart("columns");
            for (SemanticTable.Column column : table.columns()) {
                json.writeStartObject();
                json.writeStringField("name", column.name());
                json.writeStringField("type", column.type());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("primaryKey");
            for (String key : table.primaryKey()) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("rows");
            for (List<Object> row : table.rows()) {
                json.writeStartArray();
                for (Object v : row) {
                    if (v == null) {
                        json.writeNull();
                    } else if (v instanceof Integer i) {
                        json.writeNumber(i.intValue());
                    } else {
                        json.writeString(v.toString());
                    }
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** The upsert records of every semantic table, one {@code {topic,key,value}} object per line. */
    private static void records(DeploymentUnit unit, OutputStream out) throws IOException {
        RecordLines lines = new RecordLines(out);
        for (DeploymentUnit.Published p : unit.published(unit.topics())) {
            lines.write(p.table(), p.topic());
        }
    }
}
