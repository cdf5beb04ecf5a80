package io.flinkjobrunner.shacl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.TurtleReader;

class ShapesGraphCheckerTest {

    private static final String PREFIXES = """
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix ex: <http://example.org/> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            """;

    private static List<ShapesGraphProblem> check(String turtle) {
        return ShapesGraphChecker.check(TurtleReader.read(PREFIXES + turtle, "shapes.ttl"));
    }

    static Stream<Path> referenceShapes() throws IOException {
        try (Stream<Path> files = Files.walk(ShapesGraphCheckerGoldenTest.resource("/kms"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("shacl")
                    && p.getFileName().toString().endsWith(".ttl")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("referenceShapes")
    void referenceShapesAreWellFormed(Path file) throws IOException {
        RdfDocument shapes = TurtleReader.read(file, file.getFileName().toString());
        List<ShapesGraphProblem> problems = ShapesGraphChecker.check(shapes);
        assertTrue(ShapesGraphChecker.wellFormed(problems), () -> problems.toString());
        problems.forEach(System.out::println);
    }

    @Test
    void acceptsAWellFormedShapesGraphWithoutAnyProblem() {
        List<ShapesGraphProblem> problems = check("""
                ex:CutterShape a sh:NodeShape ;
                    sh:targetClass ex:Cutter ;
                    sh:property [
                        sh:path ex:state ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:BlankNode ;
                        sh:property [ sh:path <https://uri.etsi.org/ngsi-ld/hasValue> ; sh:in ( ex:ON ex:OFF ) ]
                    ] ;
                    sh:property [ sh:path [ sh:inversePath ex:partOf ] ; sh:class ex:Part ] ;
                    sh:property [ sh:path ex:serial ; sh:pattern "^[A-Z]{2}-\\\\d+$" ; sh:flags "i" ] ;
                    sh:or ( [ sh:property [ sh:path ex:a ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:b ; sh:minCount 1 ] ] ) ;
                    sh:severity sh:Warning ;
                    sh:message "cutter"@en, "Schneider"@de .
                """);
        assertEquals(List.of(), problems);
    }

    @Test
    void locatesProblemsWithoutPositionsAtTheDocumentName() {
        RdfDocument parsed = TurtleReader.read(PREFIXES + "ex:S sh:targetClass ex:C ; sh:minCount 1 .", "x.ttl");
        List<ShapesGraphProblem> problems = ShapesGraphChecker.check(parsed.model());
        assertEquals(1, problems.size());
        assertEquals("shapes", problems.get(0).location());
        assertEquals("minCount-scope", problems.get(0).rule());
    }

    @Test
    void warningsAndInfosDoNotMakeTheGraphIllFormed() {
        List<ShapesGraphProblem> problems = check("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCout 1 .");
        assertEquals(1, problems.size());
        assertEquals(Severity.WARNING, problems.get(0).severity());
        assertTrue(ShapesGraphChecker.wellFormed(problems));
        assertFalse(ShapesGraphChecker.wellFormed(check("ex:S sh:targetClass ex:C ; sh:minCount 1 .")));
    }

    @Test
    void theRefusalCountsTheViolationsAndNamesTheFirstButNotTheWarnings() {
        List<ShapesGraphProblem> warningOnly = check("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCout 1 .");
        assertEquals(java.util.Optional.empty(), ShapesGraphChecker.refusal(warningOnly, "shacl.ttl"));
        List<ShapesGraphProblem> two = check("""
                ex:S sh:targetClass ex:C ; sh:minCount 1 ; sh:minCout 1 .
                ex:T sh:targetClass ex:C ; sh:maxCount 1 .
                """);
        ShapesGraphProblem first = two.stream().filter(p -> p.severity() == Severity.VIOLATION).findFirst()
                .orElseThrow();
        assertEquals(java.util.Optional.of("shacl.ttl is not a well-formed SHACL shapes graph (2 problems); first: "
                + first), ShapesGraphChecker.refusal(two, "shacl.ttl"));
    }

    @Test
    void membersOfLogicalListsAreCheckedAsShapes() {
        List<ShapesGraphProblem> problems = check("""
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                    sh:xone ( [ sh:path ex:p ; sh:minCount "2" ] ex:Named ) .
                ex:Named sh:datatype "not an IRI" .
                """);
        assertEquals(List.of("minCount-datatype", "datatype-nodeKind"),
                problems.stream().map(ShapesGraphProblem::rule).toList());
        assertEquals("ex:S / sh:xone[1] [sh:path ex:p]", problems.get(0).shape());
    }

    @Test
    void nodeShapeScopeAppliesToUntypedShapesWithoutPath() {
        List<ShapesGraphProblem> problems = check("ex:S sh:targetClass ex:C ; sh:uniqueLang true ; sh:lessThan ex:q .");
        assertEquals(List.of("lessThan-scope", "uniqueLang-scope"),
                problems.stream().map(ShapesGraphProblem::rule).sorted().toList());
    }

    @Test
    void acceptsBlankNodeAndAlternativePathsOfEveryKind() {
        List<ShapesGraphProblem> problems = check("""
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                    sh:property [ sh:path [ sh:alternativePath ( ex:a [ sh:zeroOrOnePath ex:b ] ) ] ] ;
                    sh:property [ sh:path [ sh:oneOrMorePath [ sh:inversePath ex:c ] ] ] .
                """);
        assertEquals(List.of(), problems);
    }

    @Test
    void rejectsAPathThatContainsItself() {
        List<ShapesGraphProblem> problems = check("""
                ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path _:loop ] .
                _:loop sh:inversePath _:loop .
                """);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().contains("path-non-recursive"), problems.get(0).message());
    }
}
