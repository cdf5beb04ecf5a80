package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.CoverageReport.Entry;
import io.flinkjobrunner.compiler.CoverageReport.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeCoverageTest {

    @Test
    void referenceShapesCompileWithoutRejections() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), List.of());
        assertTrue(report.complete(), report.text());
        assertTrue(has(report, "https://industry-fusion.com/types/v0.9/CutterShape / "
                + "https://industry-fusion.com/types/v0.9/hasFilter / https://uri.etsi.org/ngsi-ld/hasObject",
                "sh:class", Status.COMPILED), report.text());
        assertTrue(has(report, "https://industry-fusion.com/types/v0.9/CutterShape / "
                + "https://industry-fusion.com/types/v0.9/hasFilter", "sh:maxCount", Status.COMPILED), report.text());
        assertTrue(report.withStatus(Status.IGNORED).stream()
                .anyMatch(e -> e.shape().endsWith("/ http://www.w3.org/1999/02/22-rdf-syntax-ns#type")), report.text());
    }

    @Test
    void reportsEveryUnsupportedConstructWithItsShapeAndReason() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:targetClass ex:C ;
                  sh:node ex:Other ;
                  sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ] ;
                  sh:property [ sh:path ex:attr ; sh:datatype xsd:string ;
                    sh:property [ sh:path ex:subAttr ; sh:minCount 1 ] ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:pattern "(" ; sh:nodeKind sh:BlankNode ] ] ;
                  sh:sparql [ sh:select "SELECT $this WHERE {}" ] .
                """), List.of());
        assertRejected(report, "http://example.com/S", "sh:targetSubjectsOf", "targeted by type");
        assertRejected(report, "http://example.com/S", "sh:node", "node shape");
        assertRejected(report, "http://example.com/S / ", "sh:path", "single predicate path");
        assertRejected(report, "http://example.com/S / http://example.com/attr", "sh:datatype", "attribute node");
        assertRejected(report, "http://example.com/S / http://example.com/attr / http://example.com/subAttr",
                "sh:property", "sub-attribute");
        assertRejected(report, "http://example.com/S / http://example.com/attr / https://uri.etsi.org/ngsi-ld/hasValue",
                "sh:pattern", "invalid regular expression");
        assertRejected(report, "http://example.com/S / http://example.com/attr / https://uri.etsi.org/ngsi-ld/hasValue",
                "sh:nodeKind", "never a blank node");
        assertRejected(report, "http://example.com/S", "sh:sparql", "no SPARQL translator");
        assertTrue(report.toJson().contains("\"status\" : \"REJECTED\""), report.toJson());
    }

    @Test
    void reportsDeactivatedShapesAndProperties() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.parse("""
                ex:Off a sh:NodeShape ; sh:targetClass ex:C ; sh:deactivated true ;
                  sh:property [ sh:path ex:a ; sh:minCount 1 ] .
                ex:On a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ex:b ; sh:deactivated true ; sh:minCount 1 ] .
                """), List.of());
        assertEquals(List.of("http://example.com/Off", "http://example.com/On / http://example.com/b"),
                report.withStatus(Status.DEACTIVATED).stream().map(Entry::shape).toList());
        assertTrue(report.withStatus(Status.COMPILED).stream().noneMatch(e -> e.component().equals("sh:minCount")));
    }

    @Test
    void compilesTheExtendedCoreComponents() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetNode ex:e1 ; sh:closed true ; sh:ignoredProperties ( ex:z ) ;
                  sh:property [ sh:path ex:a ; sh:uniqueLang true ; sh:equals ex:b ; sh:disjoint ex:c ;
                    sh:lessThan ex:d ; sh:lessThanOrEquals ex:e ;
                    sh:qualifiedValueShape [ sh:property [ sh:path ngsi-ld:hasValue ; sh:in ( "x" ) ] ] ;
                    sh:qualifiedMinCount 1 ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:languageIn ( "en" ) ; sh:pattern "a" ; sh:flags "i" ;
                      sh:not [ sh:hasValue "b" ] ; sh:xone ( [ sh:minLength 1 ] [ sh:maxLength 3 ] ) ;
                      sh:and ( [ sh:minInclusive 0 ] [ sh:maxExclusive 9 ] ) ] ] .
                """), List.of());
        assertTrue(report.complete(), report.text());
        for (String component : List.of("sh:targetNode", "sh:closed", "sh:uniqueLang", "sh:equals", "sh:disjoint",
                "sh:lessThan", "sh:lessThanOrEquals", "sh:qualifiedValueShape", "sh:languageIn", "sh:flags", "sh:not",
                "sh:xone", "sh:and")) {
            assertTrue(report.withStatus(Status.COMPILED).stream().anyMatch(e -> e.component().equals(component)),
                    component + "\n" + report.text());
        }
    }

    private static boolean has(CoverageReport report, String shape, String component, Status status) {
        return report.entries().stream().anyMatch(e -> e.shape().equals(shape) && e.component().equals(component)
                && e.status() == status);
    }

    private static void assertRejected(CoverageReport report, String shapePrefix, String component, String reason) {
        assertTrue(report.withStatus(Status.REJECTED).stream().anyMatch(e -> e.shape().startsWith(shapePrefix)
                && e.component().equals(component) && e.reason().contains(reason)),
                shapePrefix + " " + component + " " + reason + "\n" + report.text());
    }
}
