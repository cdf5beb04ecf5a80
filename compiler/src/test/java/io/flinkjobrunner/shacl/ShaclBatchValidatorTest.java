package io.flinkjobrunner.shacl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Models;
import org.junit.jupiter.api.Test;

import io.flinkjobrunner.rdf.RdfTerm;
import io.flinkjobrunner.rdf.TurtleReader;

class ShaclBatchValidatorTest {

    private static final String PREFIXES = """
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
            @prefix iff: <https://industry-fusion.org/base/v0.1/> .
            """;

    static final String KNOWLEDGE = PREFIXES + """
            iff:cutter rdfs:subClassOf iff:machine .
            iff:plasmacutter rdfs:subClassOf iff:cutter .
            iff:filter rdfs:subClassOf iff:machine .
            iff:severityCritical a iff:Severity ; rdfs:label "critical" .
            """;

    static final String SHAPES = PREFIXES + """
            iff:MachineShape a sh:NodeShape ;
                sh:targetClass iff:machine ;
                sh:property [
                    sh:path iff:temperature ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:BlankNode ;
                    sh:property [
                        sh:path ngsi-ld:hasValue ; sh:maxInclusive 75 ;
                        sh:severity iff:severityCritical ;
                        sh:message "temperature above 75 °C" ;
                    ] ;
                ] .
            iff:CutterShape a sh:NodeShape ;
                sh:targetClass iff:cutter ;
                sh:property [
                    sh:path iff:hasFilter ;
                    sh:property [ sh:path ngsi-ld:hasObject ; sh:class iff:filter ] ;
                ] .
            """;

    private static Model turtle(String text) {
        return TurtleReader.read(text, "test.ttl").model();
    }

    private static ValidationReport validate(String data) {
        return ShaclBatchValidator.validate(turtle(PREFIXES + data), turtle(SHAPES), turtle(KNOWLEDGE));
    }

    @Test
    void conformingDataGivesACompleteEmptyReport() {
        ValidationReport report = validate("""
                <urn:cutter:1> a iff:plasmacutter ;
                    iff:temperature [ a ngsi-ld:Property ; ngsi-ld:hasValue 60 ] ;
                    iff:hasFilter [ a ngsi-ld:Relationship ; ngsi-ld:hasObject <urn:filter:1> ] .
                <urn:filter:1> a iff:filter ; iff:temperature [ ngsi-ld:hasValue 20.5 ] .
                """);
        assertTrue(report.conforms());
        assertTrue(report.complete());
        assertFalse(report.hasViolations());
        assertEquals("Conforms: no validation results.", report.summary());
    }

    @Test
    void targetClassSeesSubclassesFromTheKnowledgeGraph() {
        ValidationReport report = validate("<urn:cutter:1> a iff:plasmacutter .");
        ValidationResult result = report.results().get(0);
        assertEquals(1, report.results().size());
        assertEquals(new RdfTerm.Iri("urn:cutter:1"), result.focusNode());
        assertEquals(new ShaclPath.Predicate("https://industry-fusion.org/base/v0.1/temperature"), result.resultPath());
        assertEquals("http://www.w3.org/ns/shacl#MinCountConstraintComponent", result.sourceConstraintComponent());
        assertEquals("iff:MachineShape / sh:property [sh:path iff:temperature]", result.sourceShapeLabel());
        assertEquals("expected at least 1 value(s) of iff:temperature", result.message());
        assertEquals(Severity.VIOLATION, result.level());
        assertNull(result.value());
    }

    @Test
    void nestedAttributeResultsNameTheEntityAndKeepTheDeclaredSeverity() {
        ValidationReport report = validate("""
                <urn:cutter:1> a iff:cutter ; iff:temperature [ ngsi-ld:hasValue 80 ] .
                """);
        ValidationResult result = report.results().get(0);
        assertTrue(result.focusNode() instanceof RdfTerm.BlankNode);
        assertEquals(new RdfTerm.Iri("urn:cutter:1"), result.rootNode());
        assertEquals(new RdfTerm.Literal("80", "http://www.w3.org/2001/XMLSchema#integer", null), result.value());
        assertEquals("https://industry-fusion.org/base/v0.1/severityCritical", result.severity());
        assertEquals(Severity.VIOLATION, result.level());
        assertEquals("temperature above 75 °C", result.message());
        assertTrue(report.hasViolations());
    }

    @Test
    void shClassSeesSubclassesAndReportsOtherTypes() {
        ValidationReport report = validate("""
                <urn:cutter:1> a iff:cutter ; iff:temperature [ ngsi-ld:hasValue 20 ] ;
                    iff:hasFilter [ ngsi-ld:hasObject <urn:filter:1> ] , [ ngsi-ld:hasObject <urn:cutter:2> ] .
                <urn:filter:1> a iff:filter ; iff:temperature [ ngsi-ld:hasValue 20 ] .
                <urn:cutter:2> a iff:plasmacutter ; iff:temperature [ ngsi-ld:hasValue 20 ] .
                """);
        assertEquals(1, report.results().size());
        ValidationResult result = report.results().get(0);
        assertEquals(new RdfTerm.Iri("urn:cutter:2"), result.value());
        assertEquals(new RdfTerm.Iri("urn:cutter:1"), result.rootNode());
        assertEquals("value <urn:cutter:2> is not an instance of iff:filter", result.message());
    }

    @Test
    void reportsTruncationWhenTheResultCapIsHit() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            data.append("<urn:cutter:").append(i).append("> a iff:cutter .\n");
        }
        ValidationReport report = ShaclBatchValidator.validate(turtle(PREFIXES + data), turtle(SHAPES),
                turtle(KNOWLEDGE), new ValidationLimits(2, 100));
        assertTrue(report.truncated());
        assertFalse(report.complete());
        assertEquals(2, report.results().size());
        assertTrue(report.summary().contains("Truncated: the engine stopped collecting results at 2 per constraint"),
                report.summary());

        ValidationReport full = ShaclBatchValidator.validate(turtle(PREFIXES + data), turtle(SHAPES),
                turtle(KNOWLEDGE), ValidationLimits.UNLIMITED);
        assertFalse(full.truncated());
        assertEquals(5, full.results().size());
    }

    @Test
    void listsShapeFeaturesTheEngineDoesNotEvaluate() {
        Model shapes = turtle(PREFIXES + """
                iff:XoneShape a sh:NodeShape ; sh:targetClass iff:machine ;
                    sh:xone ( [ sh:property [ sh:path iff:a ; sh:minCount 1 ] ]
                              [ sh:property [ sh:path iff:b ; sh:minCount 1 ] ] ) .
                iff:StarShape a sh:NodeShape ; sh:targetClass iff:machine ;
                    sh:property [ sh:path [ sh:zeroOrMorePath iff:partOf ] ; sh:maxCount 0 ] ;
                    sh:rule [ a sh:SPARQLRule ; sh:construct "CONSTRUCT { $this iff:x 1 } WHERE { }" ] ;
                    sh:target [ a iff:CustomTarget ] .
                """);
        ValidationReport report = ShaclBatchValidator.validate(turtle(PREFIXES + "<urn:m:1> a iff:machine ."),
                shapes, new LinkedHashModel());
        assertTrue(report.conforms());
        assertFalse(report.complete());
        assertEquals(List.of("sh:xone", "property path <https://industry-fusion.org/base/v0.1/partOf>*", "sh:rule",
                "sh:target"), report.notValidated().stream().map(NotValidated::feature).toList());
        assertTrue(report.summary().contains("Not validated: iff:XoneShape uses sh:xone"), report.summary());
    }

    @Test
    void refusesShapesTheEngineCannotLoad() {
        Model shapes = turtle(PREFIXES + "iff:S a sh:NodeShape ; sh:targetClass iff:machine ; sh:property [ sh:path "
                + "iff:p ; sh:minCount \"one\" ] .");
        ShaclValidationException error = assertThrows(ShaclValidationException.class, () -> ShaclBatchValidator
                .validate(turtle(PREFIXES + "<urn:m:1> a iff:machine ."), shapes, new LinkedHashModel()));
        assertEquals(ShaclValidationException.Reason.SHAPES_REJECTED, error.reason());
    }

    @Test
    void validatesTheDocumentedCutterExamples() throws IOException {
        Path examples = ShapesGraphCheckerGoldenTest.resource("/kms/docs-examples");
        Model shapes = TurtleReader.read(examples.resolve("shacl.ttl"), "shacl.ttl").model();
        Model knowledge = TurtleReader.read(examples.resolve("knowledge.ttl"), "knowledge.ttl").model();
        Model ok = TurtleReader.read(examples.resolve("cutter-temperature.ttl"), "cutter-temperature.ttl").model();
        assertTrue(ShaclBatchValidator.validate(ok, shapes, knowledge).conforms());

        Model noTemperature = TurtleReader.read(examples.resolve("cutter-filter-relationship.ttl"), "c.ttl").model();
        ValidationReport report = ShaclBatchValidator.validate(noTemperature, shapes, knowledge);
        assertEquals(List.of("urn:iff:cutter:1 MinCountConstraintComponent"), report.results().stream()
                .map(r -> r.rootNode().value() + " " + r.sourceConstraintComponent().replaceFirst(".*#", ""))
                .toList());

        Model runningWithoutFilter = TurtleReader.read("""
                @prefix iffbase: <https://industry-fusion.org/base/v1/> .
                @prefix ontology: <https://industry-fusion.org/ontology/v1/> .
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                <urn:iff:cutter:1> a iffbase:Cutter ;
                    iffbase:hasTemperature [ ngsi-ld:hasValue 30.5e0 ] ;
                    iffbase:hasState [ ngsi-ld:hasValue ontology:executingState ] ;
                    iffbase:hasFilter [ ngsi-ld:hasObject <urn:iff:filter:1> ] .
                <urn:iff:filter:1> a iffbase:Filter ;
                    iffbase:hasState [ ngsi-ld:hasValue ontology:errorState ] .
                """, "running.ttl").model();
        ValidationReport sparql = ShaclBatchValidator.validate(runningWithoutFilter, shapes, knowledge);
        assertEquals("""
                {"conforms":false,"complete":true,"truncated":false,\
                "limits":{"maxResultsPerConstraint":1000,"maxResultsTotal":1000000},\
                "results":[{"focusNode":{"type":"uri","value":"urn:iff:cutter:1"},\
                "rootNode":{"type":"uri","value":"urn:iff:cutter:1"},\
                "value":{"type":"uri","value":"urn:iff:cutter:1"},\
                "sourceConstraintComponent":"http://www.w3.org/ns/shacl#SPARQLConstraintComponent",\
                "sourceShape":{"type":"uri","value":"https://example.com/cutterStateInLineWithFilterShape"},\
                "sourceShapeLabel":":cutterStateInLineWithFilterShape",\
                "severity":"http://www.w3.org/ns/shacl#Violation",\
                "message":"Cutter urn:iff:cutter:1 running without running filter urn:iff:filter:1"}],\
                "notValidated":[]}""", sparql.toJson());
        assertEquals("""
                Does not conform: 1 result (1 violation) on 1 node.
                  violation urn:iff:cutter:1: Cutter urn:iff:cutter:1 running without running filter \
                urn:iff:filter:1""", sparql.summary());
        Model expectedTurtle = TurtleReader.read("""
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix fjrv: <https://flinkjobrunner.io/ns/validation#> .
                [] a sh:ValidationReport ; sh:conforms false ; fjrv:truncated false ;
                  sh:result [ a sh:ValidationResult ;
                      sh:focusNode <urn:iff:cutter:1> ; fjrv:rootNode <urn:iff:cutter:1> ;
                      sh:value <urn:iff:cutter:1> ;
                      sh:sourceConstraintComponent sh:SPARQLConstraintComponent ;
                      sh:sourceShape <https://example.com/cutterStateInLineWithFilterShape> ;
                      fjrv:sourceShapeLabel ":cutterStateInLineWithFilterShape" ;
                      sh:resultSeverity sh:Violation ;
                      sh:resultMessage "Cutter urn:iff:cutter:1 running without running filter urn:iff:filter:1" ] .
                """, "expected.ttl").model();
        assertTrue(Models.isomorphic(expectedTurtle, TurtleReader.read(sparql.toTurtle(), "report.ttl").model()),
                sparql.toTurtle());
    }

    @Test
    void turtleReportKeepsComplexPathsAndGaps() {
        Model shapes = turtle(PREFIXES + """
                iff:S a sh:NodeShape ; sh:targetClass iff:machine ;
                    sh:property [ sh:path ( iff:part [ sh:inversePath iff:owner ] ) ; sh:minCount 1 ] ;
                    sh:xone ( [ sh:class iff:a ] [ sh:class iff:b ] ) .
                """);
        ValidationReport report = ShaclBatchValidator.validate(turtle(PREFIXES + "<urn:m:1> a iff:machine ."),
                shapes, new LinkedHashModel());
        ValidationResult result = report.results().get(0);
        assertEquals("(<https://industry-fusion.org/base/v0.1/part> / ^<https://industry-fusion.org/base/v0.1/owner>)",
                result.resultPath().toSparql());
        Model turtle = TurtleReader.read(report.toTurtle(), "report.ttl").model();
        org.eclipse.rdf4j.model.Value path = Models.object(turtle.filter(null,
                org.eclipse.rdf4j.model.vocabulary.SHACL.RESULT_PATH, null)).orElseThrow();
        assertEquals(result.resultPath(), ShaclPath.fromRdf(turtle, path));
        assertTrue(report.toJson().contains("\"resultPath\":\"(<https://industry-fusion.org/base/v0.1/part> / ^<"),
                report.toJson());
        assertTrue(report.toTurtle().contains("fjrv:feature \"sh:xone\""), report.toTurtle());
    }
}
