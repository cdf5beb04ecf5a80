package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.topics.TopicRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders a deployment unit as files: {@code unit.sql} (the script), {@code semantic-data/<table>.json} (typed rows
 * with columns and primary key), {@code semantic-data/records.jsonl} (the upsert records to publish, one JSON object
 * {@code {topic,key,value}} per line), {@code coverage.json} and {@code coverage.txt}. The CLI writes them to a
 * directory; the service stores them as job artifacts. Both get the same bytes from {@link #files}.
 */
public final class DeploymentUnitWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One rendered file of a unit.
     *
     * @param path relative path, {@code /}-separated ({@code semantic-data/rdf.json})
     * @param mediaType its media type ({@code application/sql}, {@code application/json},
     *     {@code application/x-ndjson}, {@code text/plain})
     * @param content UTF-8 bytes
     */
    public record UnitFile(String path, String mediaType, byte[] content) {

        public UnitFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mediaType, "mediaType");
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    private DeploymentUnitWriter() {
    }

    /** The unit's files, in a stable order: script, semantic-data tables, records, coverage. */
    public static List<UnitFile> files(DeploymentUnit unit) {
        List<UnitFile> files = new ArrayList<>();
        files.add(text("unit.sql", "application/sql", unit.script()));
        try {
            for (SemanticTable table : unit.semanticData()) {
                files.add(text("semantic-data/" + table.name() + ".json", "application/json",
                        JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(table)));
            }
            StringBuilder records = new StringBuilder();
            for (TopicRecord record : unit.records()) {
                ObjectNode line = JSON.createObjectNode().put("topic", record.topic()).put("key", record.key())
                        .put("value", record.value());
                records.append(JSON.writeValueAsString(line)).append('\n');
            }
            files.add(text("semantic-data/records.jsonl", "application/x-ndjson", records.toString()));
        } catch (JsonProcessingException e) {
            // rows hold only strings, integers and nulls: Jackson cannot fail on them short of a defect
            throw new UncheckedIOException("cannot render the semantic data as JSON", e);
        }
        files.add(text("coverage.json", "application/json", unit.coverage().toJson()));
        files.add(text("coverage.txt", "text/plain", unit.coverage().text()));
        return files;
    }

    /** Writes the unit's {@link #files} into {@code directory} (created if needed; existing files are replaced). */
    public static void write(DeploymentUnit unit, Path directory) throws IOException {
        for (UnitFile file : files(unit)) {
            Path target = directory.resolve(file.path());
            Files.createDirectories(target.getParent());
            Files.write(target, file.content);
        }
    }

    private static UnitFile text(String path, String mediaType, String content) {
        return new UnitFile(path, mediaType, content.getBytes(StandardCharsets.UTF_8));
    }
}
