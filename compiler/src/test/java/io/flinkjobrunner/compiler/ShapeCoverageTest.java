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
                ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetSubjectsOf ngsi-ld:observedAt ;
                  sh:equals ex:p ;
                  sh:property [ sh:path ( ex:a ngsi-ld:observedAt ) ; sh:minCount 1 ] ;
                  sh:property [ sh:path [ sh:zeroOrMorePath ( ex:a ngsi-ld:hasObject ex:b ngsi-ld:hasObject ex:c ) ] ;
                    sh:minCount 1 ] ;
                  sh:property [ sh:path ( ex:a ngsi-ld:hasObject ) ; sh:lessThan ex:b ] ;
                  sh:property [ sh:path ex:attr ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:pattern "(" ] ] ;
                  sh:sparql [ sh:select "SELECT $this WHERE {}" ] .
                """), List.of());
        assertRejected(report, "http://example.com/S", "sh:targetSubjectsOf", "observedAt");
        assertRejected(report, "http://example.com/S", "sh:equals", "put it on a property shape");
        assertRejected(report, "http://example.com/S / ", "sh:path", "observedAt is not an edge");
        assertRejected(report, "http://example.com/S / ", "sh:path", "at most 16");
        assertRejected(report, "http://example.com/S / (", "sh:lessThan", "must be an NGSI-LD attribute");
        assertRejected(report, "http://example.com/S / http://example.com/attr / https://uri.etsi.org/ngsi-ld/hasValue",
                "sh:pattern", "invalid regular expression");
        assertRejected(report, "http://example.com/S", "sh:sparql", "no SPARQL translator");
        assertTrue(report.toJson().contains("\"status\" : \"REJECTED\""), report.toJson());
    }

    @Test
    void refusesRecursiveShapesNamingTheCycle() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.parse("""
                ex:Assembly a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ex:hasPart ; sh:property [ sh:path ngsi-ld:hasObject ; sh:node ex:Part ] ] .
                ex:Part a sh:NodeShape ;
                  sh:property [ sh:path ex:partOf ; sh:property [ sh:path ngsi-ld:hasObject ; sh:node ex:Assembly ] ] ;
                  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
                ex:Self a sh:NodeShape ; sh:targetClass ex:D ; sh:not ex:Self .
                """), List.of());
        assertRejected(report, "http://example.com/Part / http://example.com/partOf", "sh:node",
                "recursive shape reference http://example.com/Assembly -> http://example.com/Part -> "
                        + "http://example.com/Assembly");
        assertRejected(report, "http://example.com/Self", "logical member",
                "recursive shape reference http://example.com/Self -> http://example.com/Self");
        assertTrue(has(report, "http://example.com/Part / http://example.com/name", "sh:minCount", Status.COMPILED),
                "the rest of the referenced shape compiles\n" + report.text());
    }

    @Test
    void compilesEveryCoreComponentAndTargetOnTheNgsiLdGraph() {
        CoverageReport report = ShapeCoverage.analyze(Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:targetNode ex:e1 ; sh:targetSubjectsOf ex:serial ;
                  sh:targetObjectsOf ngsi-ld:hasObject ;
                  sh:class ex:K ; sh:nodeKind sh:IRI ; sh:in ( ex:e1 ) ; sh:node ex:Named ;
                  sh:property [ sh:path ex:attr ; sh:class ngsi-ld:Property ; sh:node ex:Valued ;
                    sh:property [ sh:path ex:unit ; sh:minCount 1 ;
                      sh:property [ sh:path ngsi-ld:hasValue ; sh:in ( "CEL" ) ] ] ;
                    sh:property [ sh:path ngsi-ld:unitCode ; sh:hasValue "CEL" ] ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:nodeKind sh:BlankNode ] ;
                    sh:qualifiedValueShape ex:Valued ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] ;
                  sh:property [ sh:path ( ex:hasPart ngsi-ld:hasObject ) ; sh:minCount 1 ; sh:class ex:Part ;
                    sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ] ;
                  sh:property [ sh:path [ sh:inversePath ex:x ] ; sh:maxCount 1 ] ;
                  sh:property [ sh:path [ sh:alternativePath ( ex:y ex:z ) ] ; sh:minCount 1 ] ;
                  sh:property [ sh:path [ sh:zeroOrMorePath ( ex:partOf ngsi-ld:hasObject ) ] ; sh:class ex:U ] ;
                  sh:property [ sh:path [ sh:oneOrMorePath ( ex:partOf ngsi-ld:hasObject ) ] ; sh:class ex:U ] ;
                  sh:property [ sh:path [ sh:zeroOrOnePath ( ex:partOf ngsi-ld:hasObject ) ] ; sh:class ex:U ] ;
                  sh:property [ sh:path rdf:type ; sh:hasValue ex:C ] .
                ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
                ex:Valued a sh:NodeShape ; sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:double ] .
                """), List.of());
        assertTrue(report.complete(), report.text());
        for (String component : List.of("sh:targetClass", "sh:targetNode", "sh:targetSubjectsOf", "sh:targetObjectsOf",
                "sh:class", "sh:nodeKind", "sh:in", "sh:node", "sh:minCount", "sh:maxCount", "sh:hasValue", "sh:path",
                "sh:qualifiedValueShape", "sh:qualifiedValueShapesDisjoint", "sh:or", "sh:datatype")) {
            assertTrue(report.withStatus(Status.COMPILED).stream().anyMatch(e -> e.component().equals(component)),
                    component + "\n" + report.text());
        }
        assertTrue(report.entries().stream().anyMatch(e -> e.status() == Status.COMPILED
                && e.component().equals("sh:nodeKind") && e.reason().contains("never a blank node")), report.text());
        assertTrue(report.entries().stream().anyMatch(e -> e.status() == Status.COMPILED
                && e.shape().endsWith("/ http://example.com/attr") && e.component().equals("sh:class")
                && e.reason().contains("attribute node's rdf:type")), report.text());
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
