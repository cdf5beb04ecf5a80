package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flinkjobrunner.rdf.TurtleReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shapes read once (a build's coverage step) give the coverage report and the very unit of reading them twice. */
class ReadShapesTest {

    private static final String ROOT = "/golden/gen-kms-50-600/";

    @ParameterizedTest
    @ValueSource(strings = {"property-shapes", "with-sparql"})
    void oneReadingGivesTheCoverageAndTheUnitOfTwo(String name, @TempDir Path out) throws Exception {
        Model knowledge = read("knowledge.ttl");
        Model shapes = new LinkedHashModel(read("shacl.ttl"));
        if (name.equals("with-sparql")) {
            shapes.addAll(read("sparql.ttl"));
        }
        ShaclCompiler compiler = new ShaclCompiler();
        ShaclCompiler.ReadShapes once = compiler.read(knowledge, shapes);
        assertEquals(ShapeCoverage.analyze(shapes).toJson(), once.coverage().toJson());

        CompileOptions options = CompileOptions.defaults("golden");
        DeploymentUnitWriter.write(compiler.assemble(knowledge, shapes, options), out.resolve("twice"));
        DeploymentUnitWriter.write(compiler.assemble(once, knowledge, shapes, options), out.resolve("once"));
        List<String> twice = files(out.resolve("twice"));
        assertEquals(DeploymentUnitWriter.FILES.size(), twice.size());
        assertEquals(twice, files(out.resolve("once")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"knowledge", "shapes"})
    void shapesReadFromOtherModelsAreRefused(String other) throws Exception {
        Model knowledge = read("knowledge.ttl");
        Model shapes = read("shacl.ttl");
        ShaclCompiler compiler = new ShaclCompiler();
        ShaclCompiler.ReadShapes once = compiler.read(knowledge, shapes);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> compiler.assemble(once,
                other.equals("knowledge") ? new LinkedHashModel(knowledge) : knowledge,
                other.equals("shapes") ? new LinkedHashModel(shapes) : shapes, CompileOptions.defaults("golden")));
        assertEquals("the shapes were read from other models", error.getMessage());
    }

    private static List<String> files(Path directory) throws IOException {
        List<String> contents = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                contents.add(directory.relativize(file) + "\n" + Files.readString(file));
            }
        }
        return contents;
    }

    private static Model read(String file) throws IOException, URISyntaxException {
        Path path = Path.of(ReadShapesTest.class.getResource(ROOT + file).toURI());
        return TurtleReader.read(path, file).model();
    }
}
