package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentUnitWriterTest {

    @Test
    void writesScriptSemanticDataAndCoverage(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(
                Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl"),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("t1"));
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
    void filesAreWhatWriteWritesWithTheirMediaTypes(@TempDir Path dir) throws Exception {
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(
                Turtle.resource("/kms/kms-constraints/test1/knowledge.ttl"),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("t1"));
        List<DeploymentUnitWriter.UnitFile> files = DeploymentUnitWriter.files(unit);
        DeploymentUnitWriter.write(unit, dir);

        assertEquals(List.of("unit.sql", "semantic-data/rdf.json", "semantic-data/constraint_table.json",
                "semantic-data/constraint_combination_table.json", "semantic-data/records.jsonl", "coverage.json",
                "coverage.txt"), files.stream().map(DeploymentUnitWriter.UnitFile::path).toList());
        assertEquals(List.of("application/sql", "application/json", "application/json", "application/json",
                "application/x-ndjson", "application/json", "text/plain"),
                files.stream().map(DeploymentUnitWriter.UnitFile::mediaType).toList());
        for (DeploymentUnitWriter.UnitFile file : files) {
            assertArrayEquals(file.content(), Files.readAllBytes(dir.resolve(file.path())), file.path());
        }
    }
}
