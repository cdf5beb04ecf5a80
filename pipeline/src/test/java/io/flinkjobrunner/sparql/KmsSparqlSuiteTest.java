package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference's kms cases for the SPARQL slice, run on Flink: every SPARQL constraint of kms-constraints must
 * produce exactly the SPARQLConstraintComponent lines of {@code <model>_result}, every kms-rules case exactly its
 * rule rows (printed like the reference's sqlite -quote output).
 */
class KmsSparqlSuiteTest {

    static final Path KMS = Path.of("../compiler/src/test/resources/kms");

    static Stream<Arguments> constraintCases() throws IOException {
        return cases("kms-constraints");
    }

    static Stream<Arguments> ruleCases() throws IOException {
        return cases("kms-rules");
    }

    static Stream<Arguments> cases(String suite) throws IOException {
        List<Arguments> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(KMS.resolve(suite))) {
            for (Path dir : dirs.sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path model : files.filter(f -> f.getFileName().toString().matches("model\\d+\\.jsonld"))
                            .sorted().toList()) {
                        result.add(Arguments.of(dir.getFileName() + "/" + model.getFileName(), model));
                    }
                }
            }
        }
        return result.stream();
    }

    record Case(SparqlCompilation compilation, TestModels.Scenario scenario, Model shapes, Model closed,
            List<String> expected) {
    }

    static Case load(Path model) throws IOException {
        Path dir = model.getParent();
        Model shapes = TestKnowledge.parse(Files.readString(dir.resolve("shacl.ttl")));
        Model closed = TestKnowledge.closure(TestKnowledge.parse(Files.readString(dir.resolve("knowledge.ttl"))));
        SparqlCompilation compilation = new SparqlShapeCompiler(shapes, closed).compile();
        assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled),
                compilation.coverage()::toString);
        List<String> expected = Files.readAllLines(dir.resolve(model.getFileName() + "_result")).stream()
                .filter(l -> !l.isBlank()).toList();
        return new Case(compilation, TestModels.read(model, shapes, closed), shapes, closed, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constraintCases")
    void sparqlConstraintsMatchTheReference(String name, Path model) throws IOException {
        Case c = load(model);
        FlinkTestTables tables = c.scenario().tables(c.closed());
        List<String> actual = new ArrayList<>();
        java.util.Set<String> alerting = new java.util.TreeSet<>();
        List<String> queries = c.compilation().statements().stream()
                .filter(st -> !st.isRule()).map(SparqlStatement::query).toList();
        if (!queries.isEmpty()) {
            // one job per model: the statements share the sink schema
            for (List<Object> row : tables.run(String.join(" UNION ALL ", queries))) {
                actual.add(SqliteQuoteFormat.line(List.of((String) row.get(0), (String) row.get(1),
                        (String) row.get(4))));
                if (!"ok".equals(row.get(4))) {
                    alerting.add(row.get(0) + " " + row.get(1));
                }
            }
        }
        List<String> expected = c.expected().stream().filter(l -> l.contains("SPARQLConstraintComponent")).toList();
        assertEquals(sorted(expected), sorted(actual));
        assertEquals(RdfDifferentialCheck.selectedFocusNodes(c.shapes(), c.closed(), c.scenario()), alerting,
                "differential check: RDF4J selects other focus nodes than the Flink SQL alerts on");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleCases")
    void rulesMatchTheReference(String name, Path model) throws IOException {
        Case c = load(model);
        FlinkTestTables tables = c.scenario().tables(c.closed());
        List<String> actual = new ArrayList<>();
        List<String> queries = c.compilation().statements().stream()
                .filter(st -> st.isRule()).map(SparqlStatement::query).toList();
        if (!queries.isEmpty()) {
            for (List<Object> row : tables.run(String.join(" UNION ALL ", queries))) {
                // entityId, name, nodeType, valueType, datasetId, type, attributeValue
                actual.add(SqliteQuoteFormat.line(java.util.Arrays.asList(s(row.get(2)), s(row.get(3)), s(row.get(4)), s(row.get(5)),
                        s(row.get(8)), s(row.get(6)), s(row.get(7)))));
            }
        }
        assertEquals(sorted(c.expected()), sorted(actual));
    }

    private static String s(Object o) {
        return o == null ? null : o.toString();
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return copy;
    }
}
