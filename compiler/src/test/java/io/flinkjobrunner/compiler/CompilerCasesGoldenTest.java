package io.flinkjobrunner.compiler;


import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the compiler generates for every case of {@code compiler-cases/}, as text a review reads: each case's unit,
 * compiled alone, must render the SQL ({@code unit.sql}) and the constraint tables' rows recorded in the case's
 * {@code golden/} directory. {@link ComponentCasesTest} proves that the cases alert right; this pins how, so that a
 * change of the generated SQL shows in the diff of the commit that makes it. Re-record with
 * {@code -Dgolden.update=true}.
 */
class CompilerCasesGoldenTest {

    /** The unit's files a case pins: its SQL and its constraint rows (the knowledge rows are the case's own input). */
    private static final List<String> PINNED = List.of("unit.sql", "semantic-data/constraint_table.json",
            "semantic-data/constraint_combination_table.json");

    @TestFactory
    Stream<DynamicTest> everyCaseCompilesToTheRecordedSql(@TempDir Path out) throws Exception {
        Path root = Path.of(CompilerCasesGoldenTest.class.getResource("/compiler-cases").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream().map(dir -> {
                String name = dir.getFileName().toString();
                return DynamicTest.dynamicTest(name, () -> {
                    Path k = dir.resolve("knowledge.ttl");
                    Model knowledge = Files.exists(k) ? Turtle.parse(Files.readString(k)) : new LinkedHashModel();
                    Model shapes = Turtle.parse(Files.readString(dir.resolve("shapes.ttl")));
                    DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, shapes,
                            CompileOptions.defaults("cases"));
                    Path rendered = out.resolve(name);
                    DeploymentUnitWriter.write(unit, rendered);
                    assertEquals(unit, DeploymentUnitReader.read(rendered), "the unit reads back from its files");
                    for (String file : PINNED) {
                        check(dir.resolve("golden").resolve(file), "compiler-cases/" + name + "/golden/" + file,
                                rendered.resolve(file));
                    }
                });
            });
        }
    }

    private static void check(Path recorded, String source, Path rendered) throws IOException {
        String actual = Files.exists(rendered) ? Files.readString(rendered, StandardCharsets.UTF_8) : "";
        GoldenFile.assertMatches(Path.of("src/test/resources").resolve(source), actual);
    }
}
