package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.rio.RDFFormat;
import org.eclipse.rdf4j.rio.Rio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The proof suite: every kms-constraints case through compile + local engine, compared as a sorted multiset with the
 * reference's {@code <model>_result} file.
 *
 * <p>Where a documented fix of the reference's quirks (docs/semantics.md) changes the outcome, the expectation is the
 * adjusted copy {@code <model>_result.fjr} next to the original, and {@code ADJUSTMENTS.md} in the same folder
 * explains every changed line. SPARQL constraint events ({@code SPARQLConstraintComponent(...)}) come from the SPARQL
 * translator, found on the class path like in production; they are compared like every other line.
 */
class KmsConstraintsTest {

    private static final List<String> CONTEXT_URLS = List.of(
            "https://industryfusion.github.io/contexts/tests/context1.jsonld",
            "https://industryfusion.github.io/contexts/tests/context2.jsonld");
    private static LocalEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @TestFactory
    Stream<DynamicTest> everyModelMatchesTheExpectedAlerts() throws IOException, URISyntaxException, CompilationException {
        Path root = Path.of(KmsConstraintsTest.class.getResource("/kms/kms-constraints").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                DeploymentUnit unit = new ShaclCompiler().assemble(read(dir.resolve("knowledge.ttl")),
                        read(dir.resolve("shacl.ttl")), CompileOptions.defaults(dir.getFileName().toString()));
                NgsiLdMapper mapper = new NgsiLdMapper(contexts(dir));
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path model : files.filter(f -> f.getFileName().toString().matches("model\\d+\\.jsonld"))
                            .sorted().toList()) {
                        tests.add(DynamicTest.dynamicTest(dir.getFileName() + "/" + model.getFileName(),
                                () -> check(unit, mapper, model)));
                    }
                }
            }
        }
        return tests.stream();
    }

    private static void check(DeploymentUnit unit, NgsiLdMapper mapper, Path model) throws Exception {
        NgsiLdData data = mapper.map(model, AlertScenarios.clock());
        Path adjusted = model.resolveSibling(model.getFileName() + "_result.fjr");
        Path expectedFile = Files.exists(adjusted) ? adjusted : model.resolveSibling(model.getFileName() + "_result");
        List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).sorted().toList();
        List<String> actual = AlertScenarios.lines(AlertScenarios.run(engine, unit, data));
        assertEquals(String.join("\n", expected), String.join("\n", actual), "alerts of " + model + " vs " + expectedFile);
    }

    private static NgsiLdContexts contexts(Path dir) {
        Map<String, Path> mappings = new HashMap<>();
        if (Files.exists(dir.resolve("context.jsonld"))) {
            CONTEXT_URLS.forEach(url -> mappings.put(url, dir.resolve("context.jsonld")));
        }
        return NgsiLdContexts.withMappings(mappings);
    }

    private static Model read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return Rio.parse(in, "", RDFFormat.TURTLE);
        }
    }
}
