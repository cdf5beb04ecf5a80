package io.flinkjobrunner.compiler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkjobrunner.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files {@link DeploymentUnitWriter} wrote back into the same {@link DeploymentUnit} (equal to the one
 * written, and writing the same bytes again). Only the files that hold the unit are read: {@code unit.json}, the
 * three {@code semantic-data/<table>.json} and {@code coverage.json}; the script, the records and the coverage text
 * are renderings of those.
 */
public final class DeploymentUnitReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The semantic tables, in the unit's order. */
    private static final List<String> TABLES = List.of("rdf", "constraint_table", "constraint_combination_table");

    private static final DeploymentUnitWriter.FileKind OUTLINE = file("unit.json");
    private static final DeploymentUnitWriter.FileKind COVERAGE = file("coverage.json");

    /** The files {@link #read(Source)} opens, in that order (of {@link DeploymentUnitWriter#FILES}). */
    public static final List<DeploymentUnitWriter.FileKind> READS = List.of(OUTLINE, table(TABLES.get(0)),
            table(TABLES.get(1)), table(TABLES.get(2)), COVERAGE);

    /** Opens one written file for reading. */
    @FunctionalInterface
    public interface Source {

        /**
         * The content of {@code file}, as written.
         *
         * @throws IOException if it cannot be read, or there is no such file
         */
        InputStream open(DeploymentUnitWriter.FileKind file) throws IOException;
    }

    private DeploymentUnitReader() {
    }

    /** Reads a unit from {@code source}. */
    public static DeploymentUnit read(Source source) throws IOException {
        JsonNode outline;
        try (InputStream in = source.open(OUTLINE)) {
            outline = JSON.readTree(in);
        }
        List<UnitStatement> statements = new ArrayList<>();
        for (JsonNode s : required(outline, "statements")) {
            JsonNode shape = s.get("shape");
            statements.add(new UnitStatement(UnitStatement.Kind.valueOf(required(s, "kind").asText()),
                    required(s, "sql").asText(), shape == null || shape.isNull() ? null : shape.asText()));
        }
        List<SemanticTable> semanticData = new ArrayList<>();
        for (String table : TABLES) {
            try (InputStream in = source.open(table(table))) {
                semanticData.add(JSON.readValue(in, SemanticTable.class));
            }
        }
        CoverageReport coverage;
        try (InputStream in = source.open(COVERAGE)) {
            coverage = JSON.readValue(in, CoverageReport.class);
        }
        return new DeploymentUnit(statements, semanticData, JSON.treeToValue(required(outline, "topics"), Topics.class),
                required(outline, "bootstrapServers").asText(),
                new TableNames(required(outline, "tablePrefix").asText()), coverage);
    }

    /** Reads the unit {@link DeploymentUnitWriter#write(DeploymentUnit, Path)} wrote into {@code directory}. */
    public static DeploymentUnit read(Path directory) throws IOException {
        return read(file -> Files.newInputStream(directory.resolve(file.path())));
    }

    private static DeploymentUnitWriter.FileKind file(String path) {
        return DeploymentUnitWriter.FILES.stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    private static DeploymentUnitWriter.FileKind table(String name) {
        return file("semantic-data/" + name + ".json");
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("not a deployment unit written by this version: '" + field + "' is missing");
        }
        return value;
    }
}
