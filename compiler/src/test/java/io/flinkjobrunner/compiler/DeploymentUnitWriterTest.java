package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentUnitWriterTest {

    @Test
    void writesScriptSemanticDataAndCoverage(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = test1(CompileOptions.defaults("t1"));
        DeploymentUnitWriter.write(unit, dir);

        assertEquals(unit.script(), Files.readString(dir.resolve("unit.sql")));
        List<String> records = Files.readAllLines(dir.resolve("semantic-data/records.jsonl"));
        assertEquals(unit.records().size(), records.size());
        JsonNode first = new ObjectMapper().readTree(records.get(0));
        assertEquals(unit.records().get(0).value(), first.get("value").asText());
        JsonNode constraints = new ObjectMapper().readTree(dir.resolve("semantic-data/constraint_table.json").toFile());
        assertEquals("id", constraints.get("primaryKey").get(0).asText());
        assertEquals(unit.table("constraint_table").rows().size(), constraints.get("rows").size());
        assertTrue(Files.readString(dir.resolve("coverage.json")).contains("\"entries\""));
        assertTrue(Files.readString(dir.resolve("coverage.txt")).startsWith("coverage: "));
    }

    @Test
    void aSinkGetsTheFilesWriteWritesWithTheirMediaTypes(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = test1(CompileOptions.defaults("t1"));
        Map<DeploymentUnitWriter.FileKind, byte[]> files = new LinkedHashMap<>();
        DeploymentUnitWriter.write(unit, (file, content) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            content.writeTo(out);
            files.put(file, out.toByteArray());
        });
        DeploymentUnitWriter.write(unit, dir);

        assertEquals(List.of("unit.sql", "semantic-data/rdf.json", "semantic-data/constraint_table.json",
                "semantic-data/constraint_combination_table.json", "semantic-data/records.jsonl", "coverage.json",
                "coverage.txt", "unit.json"),
                files.keySet().stream().map(DeploymentUnitWriter.FileKind::path).toList());
        assertEquals(List.of("application/sql", "application/json", "application/json", "application/json",
                "application/x-ndjson", "application/json", "text/plain", "application/json"),
                files.keySet().stream().map(DeploymentUnitWriter.FileKind::mediaType).toList());
        assertEquals(DeploymentUnitWriter.FILES, List.copyOf(files.keySet()));
        for (Map.Entry<DeploymentUnitWriter.FileKind, byte[]> file : files.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(dir.resolve(file.getKey().path())),
                    file.getKey().path());
        }
        assertEquals(unit.coverage().toJson(), new String(files.get(DeploymentUnitWriter.FILES.get(5)),
                StandardCharsets.UTF_8));
        assertEquals(unit.coverage().text(), new String(files.get(DeploymentUnitWriter.FILES.get(6)),
                StandardCharsets.UTF_8));
    }

    @Test
    void theReaderGivesBackTheUnitTheFilesWereWrittenFrom(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = test1(CompileOptions.defaults("t1").withSettleWindow(java.time.Duration.ofMillis(70)));
        DeploymentUnitWriter.write(unit, dir);

        DeploymentUnit read = DeploymentUnitReader.read(dir);
        assertEquals(unit, read);
        assertEquals(unit.script(), read.script());
        assertTrue(read.table("constraint_table").rows().stream().flatMap(List::stream)
                .anyMatch(Integer.class::isInstance), "INT columns read back as numbers, not strings");
    }

    @Test
    void filesThatAreNoUnitAreRefusedNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = test1(CompileOptions.defaults("t1"));
        DeploymentUnitWriter.write(unit, dir);
        Files.writeString(dir.resolve("unit.json"), "{\"tablePrefix\": \"\"}");

        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> DeploymentUnitReader.read(dir));
        assertEquals("not a deployment unit written by this version: 'statements' is missing", refused.getMessage());
        Files.delete(dir.resolve("unit.json"));
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
                () -> DeploymentUnitReader.read(dir));
    }

    /** The unit of the reference's case test1. */
    private static DeploymentUnit test1(CompileOptions options) throws Exception {
        return new ShaclCompiler(List.of()).assemble(Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl"),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), options);
    }
}
