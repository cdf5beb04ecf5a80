package io.flinkjobrunner.compiler;


import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.rdf.TurtleReader;
import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unit of a generated IndustryFusion-shaped input (resources {@code golden/gen-kms-50-600}, made by
 * {@code gen_kms.py}), byte for byte: every file {@link DeploymentUnitWriter} renders must have the SHA-256 digest
 * and size recorded in {@code <case>.sha256}. Speed work on the compiler, the closure and the writer must not change a
 * byte of it; a deliberate change of the unit updates the digests in the same commit
 * ({@code -Dgolden.update=true}), where the review sees it.
 *
 * <p>Case {@code property-shapes}: the generated shapes as they are (property shapes only). Case {@code with-sparql}:
 * plus one SPARQL constraint ({@code sparql.ttl}).
 */
class GeneratedUnitGoldenTest {

    private static final String ROOT = "/golden/gen-kms-50-600/";

    @ParameterizedTest
    @ValueSource(strings = {"property-shapes", "with-sparql"})
    void theUnitIsByteForByteTheRecordedOne(String name, @TempDir Path out) throws Exception {
        Model shapes = new LinkedHashModel(read("shacl.ttl"));
        if (name.equals("with-sparql")) {
            shapes.addAll(read("sparql.ttl"));
        }
        DeploymentUnit unit = new ShaclCompiler().assemble(read("knowledge.ttl"), shapes,
                CompileOptions.defaults("golden"));
        DeploymentUnitWriter.write(unit, out.resolve("written"));
        List<String> actual = digests(out.resolve("written"));
        // what a job resumed on another replica deploys: the unit read back from the files, the same to the byte
        DeploymentUnit readBack = DeploymentUnitReader.read(out.resolve("written"));
        assertEquals(unit, readBack);
        DeploymentUnitWriter.write(readBack, out.resolve("rewritten"));
        assertEquals(actual, digests(out.resolve("rewritten")));
        try {
            GoldenFile.assertMatches(Path.of("src/test/resources" + ROOT, name + ".sha256"),
                    String.join("\n", actual) + "\n");
        } catch (AssertionError differs) {
            copy(out.resolve("written"), Path.of("target", "golden-actual", name));
            throw new AssertionError("the unit differs from the recorded one; the rendered files are kept in "
                    + "target/golden-actual/" + name, differs);
        }
    }

    /** One line per file: SHA-256, size, path. */
    private static List<String> digests(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                byte[] content = Files.readAllBytes(file);
                out.add(sha256(content) + " " + content.length + " " + dir.relativize(file).toString()
                        .replace('\\', '/'));
            }
        }
        return out;
    }

    private static Model read(String file) throws IOException, URISyntaxException {
        Path path = Path.of(GeneratedUnitGoldenTest.class.getResource(ROOT + file).toURI());
        return TurtleReader.read(path, file).model();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                try (InputStream in = Files.newInputStream(file)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
