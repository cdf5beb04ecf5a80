package io.flinkjobrunner.rdf;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code rdf/syntax-errors/*.ttl} must fail with exactly the message in the sibling {@code *.error} file
 * ({@code reason file:line:column: detail}). Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class TurtleReaderGoldenErrorsTest {

    private static final Path CASES = casesDirectory();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".ttl"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsGoldenErrorMessage(String caseFile) throws IOException {
        RdfSyntaxException error = assertThrows(RdfSyntaxException.class,
                () -> TurtleReader.read(CASES.resolve(caseFile), caseFile));
        String actual = error.reason() + " " + error.getMessage() + "\n";
        Path golden = sourceCases().resolve(caseFile.replaceFirst("\\.ttl$", ".error"));
        GoldenFile.assertMatches(golden, actual);
    }

    private static Path casesDirectory() {
        try {
            return Path.of(TurtleReaderGoldenErrorsTest.class.getResource("/rdf/syntax-errors").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Golden files are written to the source tree, not to target/, so an update shows up in git. */
    private static Path sourceCases() {
        return Path.of("src/test/resources/rdf/syntax-errors");
    }
}
