package io.flinkjobrunner.shacl;


import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.flinkjobrunner.rdf.TurtleReader;

/**
 * Each {@code shacl/shapes-graph/*.ttl} is checked and the problems (one per line) must equal the sibling
 * {@code *.problems} file. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class ShapesGraphCheckerGoldenTest {

    private static final Path CASES = resource("/shacl/shapes-graph");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ttl")).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsGoldenProblems(String caseFile) throws IOException {
        String actual = ShapesGraphChecker.check(TurtleReader.read(CASES.resolve(caseFile), caseFile)).stream()
                .map(ShapesGraphProblem::toString).collect(Collectors.joining("\n", "", "\n"));
        Path golden = Path.of("src/test/resources/shacl/shapes-graph", caseFile.replaceFirst("\\.ttl$", ".problems"));
        GoldenFile.assertMatches(golden, actual);
    }

    static Path resource(String name) {
        try {
            return Path.of(ShapesGraphCheckerGoldenTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
