package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.topics.TopicRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders a deployment unit to a directory: {@code unit.sql} (the script), {@code semantic-data/<table>.json} (typed
 * rows with columns and primary key), {@code semantic-data/records.jsonl} (the upsert records to publish, one JSON
 * object {@code {topic,key,value}} per line), {@code coverage.json} and {@code coverage.txt}.
 */
public final class DeploymentUnitWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeploymentUnitWriter() {
    }

    /** Writes the unit into {@code directory} (created if needed; existing files of the same names are replaced). */
    public static void write(DeploymentUnit unit, Path directory) throws IOException {
        Path data = directory.resolve("semantic-data");
        Files.createDirectories(data);
        Files.writeString(directory.resolve("unit.sql"), unit.script(), StandardCharsets.UTF_8);
        for (SemanticTable table : unit.semanticData()) {
            JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(
                    data.resolve(table.name() + ".json").toFile(), table);
        }
        try (BufferedWriter out = Files.newBufferedWriter(data.resolve("records.jsonl"), StandardCharsets.UTF_8)) {
            for (TopicRecord record : unit.records()) {
                ObjectNode line = JSON.createObjectNode().put("topic", record.topic()).put("key", record.key())
                        .put("value", record.value());
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
        }
        Files.writeString(directory.resolve("coverage.json"), unit.coverage().toJson(), StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("coverage.txt"), unit.coverage().text(), StandardCharsets.UTF_8);
    }
}
