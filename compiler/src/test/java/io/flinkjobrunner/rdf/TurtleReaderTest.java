package io.flinkjobrunner.rdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TurtleReaderTest {

    private static final String EX = "http://example.org/";

    private static RdfDocument read(byte[] bytes, String name) throws IOException {
        return TurtleReader.read(new ByteArrayInputStream(bytes), name, TurtleLimits.DEFAULT);
    }

    private static RdfSyntaxException failure(byte[] bytes, String name, TurtleLimits limits) {
        return assertThrows(RdfSyntaxException.class,
                () -> TurtleReader.read(new ByteArrayInputStream(bytes), name, limits));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTriplesAndDeclaredNamespaces() throws IOException {
        RdfDocument document = read(utf8("""
                @prefix ex: <http://example.org/> .
                PREFIX sh: <http://www.w3.org/ns/shacl#>
                ex:S a sh:NodeShape ; sh:targetClass ex:C .
                """), "shapes.ttl");
        Model model = document.model();
        assertEquals(2, model.size());
        assertTrue(model.contains(Values.iri(EX, "S"), RDF.TYPE, SHACL.NODE_SHAPE));
        assertEquals(EX, model.getNamespace("ex").orElseThrow().getName());
        assertEquals(SHACL.NAMESPACE, model.getNamespace("sh").orElseThrow().getName());
        assertEquals("shapes.ttl", document.fileName());
    }

    @Test
    void skipsByteOrderMarkAndKeepsColumnsOfTheFirstLine() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] valid = concat(bom, utf8("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"));
        assertEquals(1, read(valid, "bom.ttl").model().size());

        RdfSyntaxException error = failure(concat(bom, utf8("ex:a ex:b ex:c .\n")), "bom.ttl", TurtleLimits.DEFAULT);
        assertEquals("bom.ttl:1:1: Namespace prefix 'ex' used but not defined", error.getMessage());
    }

    @Test
    void countsCrLfAsOneLineBreak() {
        String text = "@prefix ex: <http://example.org/> .\r\n\r\nex:a ex:b ex:c .\r\nex:d ex:e nope:f .\r\n";
        RdfSyntaxException error = failure(utf8(text), "crlf.ttl", TurtleLimits.DEFAULT);
        assertEquals(RdfSyntaxException.Reason.UNDEFINED_PREFIX, error.reason());
        assertEquals(new SourcePosition(4, 11), error.position().orElseThrow());
    }

    @Test
    void countsLoneCarriageReturnAsLineBreak() {
        String text = "@prefix ex: <http://example.org/> .\rex:a ex:b ex:c\rex:d ex:e ex:f .";
        RdfSyntaxException error = failure(utf8(text), "cr.ttl", TurtleLimits.DEFAULT);
        assertEquals("cr.ttl:3:1: Expected '.', found 'e'", error.getMessage());
    }

    @Test
    void countsColumnsInCodePointsNotBytesOrUtf16Units() throws IOException {
        // "Grüße 🌡" is 8 code points, 9 UTF-16 units and 13 bytes; the error is at the prefixed name after it.
        String text = "@prefix ex: <http://example.org/> .\nex:a ex:b \"Grüße 🌡\" , bad:x .\n";
        RdfSyntaxException error = failure(utf8(text), "unicode.ttl", TurtleLimits.DEFAULT);
        assertEquals("unicode.ttl:2:23: Namespace prefix 'bad' used but not defined", error.getMessage());

        RdfDocument ok = read(utf8("@prefix ex: <http://example.org/> .\nex:a ex:b \"Grüße 🌡 °C\" .\n"), "u.ttl");
        Literal label = (Literal) Models.object(ok.model()).orElseThrow();
        assertEquals("Grüße 🌡 °C", label.getLabel());
    }

    @Test
    void rejectsMalformedUtf8AtTheBytePosition() {
        byte[] text = concat(utf8("@prefix ex: <http://example.org/> .\nex:a ex:b \"caf"),
                new byte[] {(byte) 0xE9}, utf8("\" .\n"));
        RdfSyntaxException error = failure(text, "latin1.ttl", TurtleLimits.DEFAULT);
        assertEquals(RdfSyntaxException.Reason.ENCODING, error.reason());
        assertEquals("latin1.ttl:2:15: not valid UTF-8: unexpected byte 0xE9 (save the file as UTF-8)",
                error.getMessage());
    }

    @Test
    void rejectsDocumentsLargerThanTheByteLimitWithoutPosition() {
        TurtleLimits limits = new TurtleLimits(32, 100, 10);
        RdfSyntaxException error = failure(utf8("@prefix ex: <http://example.org/> .\n"), "big.ttl", limits);
        assertEquals(RdfSyntaxException.Reason.TOO_LARGE, error.reason());
        assertTrue(error.position().isEmpty());
        assertEquals("big.ttl: document is larger than the limit of 32 bytes", error.getMessage());
    }

    @Test
    void rejectsLargeFilesBeforeReadingThem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.ttl");
        Files.write(file, new byte[1024]);
        RdfSyntaxException error = assertThrows(RdfSyntaxException.class,
                () -> TurtleReader.read(file, "big.ttl", new TurtleLimits(100, 100, 10)));
        assertEquals(RdfSyntaxException.Reason.TOO_LARGE, error.reason());
    }

    @Test
    void rejectsMoreTriplesThanTheLimitAtTheTripleThatExceedsIt() {
        String text = "@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nex:a ex:p 2 .\nex:a ex:p 3 .\n";
        RdfSyntaxException error = failure(utf8(text), "many.ttl", new TurtleLimits(1 << 20, 2, 10));
        assertEquals(RdfSyntaxException.Reason.TOO_MANY_STATEMENTS, error.reason());
        assertEquals(4, error.line());
    }

    @Test
    void rejectsNestingDeeperThanTheLimitAtTheOpeningBracket() {
        String nested = "[ ex:p ".repeat(5) + "1" + " ]".repeat(5);
        String text = "@prefix ex: <http://example.org/> .\nex:a ex:p " + nested + " .\n";
        RdfSyntaxException error = failure(utf8(text), "deep.ttl", new TurtleLimits(1 << 20, 100, 4));
        assertEquals(RdfSyntaxException.Reason.NESTING_TOO_DEEP, error.reason());
        assertEquals("deep.ttl:2:39: '[ ... ]' and '( ... )' are nested more than 4 levels deep", error.getMessage());
    }

    @Test
    void survivesHostileNestingWithTheDefaultLimit() {
        String text = "@prefix ex: <http://example.org/> .\nex:a ex:p " + "( ".repeat(100_000) + "\n";
        RdfSyntaxException error = failure(utf8(text), "bomb.ttl", TurtleLimits.DEFAULT);
        assertEquals(RdfSyntaxException.Reason.NESTING_TOO_DEEP, error.reason());
    }

    @Test
    void recordsWhereEachSubjectIsWrittenIncludingBlankNodes() throws IOException {
        RdfDocument document = read(utf8("""
                @prefix ex: <http://example.org/> .
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                ex:S a sh:NodeShape ;
                  sh:property [
                    sh:path ex:temperature ;
                  ] .
                  [ sh:path ex:other ] a sh:PropertyShape .
                """), "shapes.ttl");
        Model model = document.model();
        Resource nested = Models.objectResource(model.filter(Values.iri(EX, "S"), SHACL.PROPERTY, null)).orElseThrow();
        Resource topLevelBlank = Models.subject(model.filter(null, SHACL.PATH, Values.iri(EX, "other")))
                .orElseThrow();
        assertEquals(new SourcePosition(3, 1), document.positionOf(Values.iri(EX, "S")).orElseThrow());
        assertEquals(new SourcePosition(4, 15), document.positionOf(nested).orElseThrow());
        assertEquals(new SourcePosition(7, 3), document.positionOf(topLevelBlank).orElseThrow());
        assertEquals("shapes.ttl:4:15", document.locate(nested));
        assertFalse(document.positionOf(SHACL.NODE_SHAPE).isPresent());
    }

    @Test
    void subjectColumnsCountCodePointsAfterCharactersOutsideTheBasicPlane() throws IOException {
        // "🌡🌡" is 2 code points but 4 UTF-16 units: ex:c starts at column 18 of line 2, not 20
        RdfDocument document = read(utf8("@prefix ex: <http://example.org/> .\nex:a ex:b \"🌡🌡\" . ex:c ex:d 1 .\n"
                + "ex:e ex:f 2 .\n"), "wide.ttl");
        assertEquals(new SourcePosition(2, 1), document.positionOf(Values.iri(EX, "a")).orElseThrow());
        assertEquals(new SourcePosition(2, 18), document.positionOf(Values.iri(EX, "c")).orElseThrow());
        assertEquals(new SourcePosition(3, 1), document.positionOf(Values.iri(EX, "e")).orElseThrow());
        assertEquals(3, document.subjectPositions().size());
        assertEquals(new SourcePosition(2, 18), document.subjectPositions().get(Values.iri(EX, "c")));
    }

    @Test
    void anIriWrittenSeveralTimesIsOneValue() throws IOException {
        // one object per distinct IRI: checked and created once, compared by identity in the model's indexes
        Model model = read(utf8("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b .\n"
                + "<http://example.org/b> ex:p ex:a .\n"), "same.ttl").model();
        Resource b = Models.subject(model.filter(null, null, Values.iri(EX, "a"))).orElseThrow();
        Value object = Models.object(model.filter(Values.iri(EX, "a"), null, null)).orElseThrow();
        assertEquals(Values.iri(EX, "b"), b);
        assertSame(b, object);
    }

    @Test
    void emptyListDoesNotLendItsPositionToTheNextBlankNode() throws IOException {
        RdfDocument document = read(utf8("@prefix ex: <http://example.org/> .\nex:a ex:p () .\nex:b ex:q\n  [ ex:r 1 ] .\n"),
                "l.ttl");
        Resource blank = Models.subject(document.model().filter(null, Values.iri(EX, "r"), null)).orElseThrow();
        assertEquals(new SourcePosition(4, 3), document.positionOf(blank).orElseThrow());
    }

    @Test
    void blankNodeLabelsOfSeparateDocumentsNeverCollide() throws IOException {
        byte[] text = utf8("@prefix ex: <http://example.org/> .\n_:b1 ex:p 1 .\n");
        Model merged = read(text, "a.ttl").model();
        merged.addAll(read(text, "b.ttl").model());
        assertEquals(2, merged.subjects().size());
    }

    @Test
    void resolvesRelativeIrisAgainstTheFileName() throws IOException {
        RdfDocument document = read(utf8("@prefix ex: <http://example.org/> .\n<> ex:p <#part> .\n"), "my kb.ttl");
        IRI subject = (IRI) Models.subject(document.model()).orElseThrow();
        Value object = Models.object(document.model()).orElseThrow();
        assertEquals("file:///my%20kb.ttl", subject.stringValue());
        assertEquals("file:///my%20kb.ttl#part", object.stringValue());
    }

    @Test
    void readsTextWithAByteOrderMarkCharacter() {
        RdfDocument document = TurtleReader.read("\uFEFF@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .",
                "api");
        assertEquals(1, document.model().size());
    }

    @Test
    void decimalsWithoutLeadingDigitAreStillNumbers() throws IOException {
        RdfDocument document = read(utf8("@prefix ex: <http://example.org/> .\nex:a ex:b .5, -3, +2.0e1 .\n"),
                "n.ttl");
        assertEquals(3, document.model().size());
    }

    static Stream<Path> referenceInputs() throws IOException, URISyntaxException {
        Path kms = Path.of(TurtleReaderTest.class.getResource("/kms").toURI());
        try (Stream<Path> files = Files.walk(kms)) {
            return files.filter(p -> p.toString().endsWith(".ttl")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("referenceInputs")
    void readsEveryReferenceKnowledgeAndShapesFile(Path file) throws IOException {
        RdfDocument document = TurtleReader.read(file, file.getFileName().toString());
        assertFalse(document.model().isEmpty());
        for (Resource subject : document.model().subjects()) {
            assertTrue(document.positionOf(subject).isPresent(), () -> "no position for " + subject);
        }
    }

    @Test
    void streamIsReadToTheEndButNotClosed() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(utf8("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .")) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        TurtleReader.read(in, "s.ttl", TurtleLimits.DEFAULT);
        assertFalse(closed[0]);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
