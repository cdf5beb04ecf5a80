package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Each supported SPARQL feature, compiled and run on Flink over hand-written NGSI-LD and knowledge rows. */
class SparqlFeatureTest {

    private static final String IFF = "https://industry-fusion.com/types/v0.9/";

    private static String constraint(String name, String target, String message, String where) {
        return """
                iff:%s a sh:NodeShape ; sh:targetClass iff:%s ;
                  sh:sparql [ sh:message "%s" ;
                    sh:select \"\"\"
                      PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                      PREFIX ngsi-ld: <https://uri.etsi.org/ngsi-ld/>
                      PREFIX fn: <https://industry-fusion.com/functions/v0.9/>
                      %s\"\"\" ] .
                """.formatted(name, target, message, where);
    }

    @Test
    void translatesFiltersOptionalsExistsExpressionsTimesTypesAndAggregates() {
        String shapes = String.join("\n",
                constraint("ShapeA", "machine", "no filter {?g}", """
                        SELECT $this ?g WHERE { $this iff:state [ ngsi-ld:hasValue ?v ] .
                          OPTIONAL { $this iff:hasFilter [ ngsi-ld:hasObject ?f ] }
                          BIND(COALESCE(?f, "none") AS ?g) FILTER(!BOUND(?f)) }"""),
                constraint("ShapeB", "machine", "unlabelled {?s}", """
                        SELECT $this ?s WHERE { $this iff:state [ ngsi-ld:hasValue ?s ] .
                          FILTER NOT EXISTS { ?s rdfs:label ?l } }"""),
                constraint("ShapeC", "filter", "{?x} {?w}", """
                        SELECT $this ?x ?w WHERE { $this iff:strength [ ngsi-ld:hasValue ?s ] .
                          BIND(xsd:integer(?s) * 10 + 1 AS ?x) BIND(IF(?x = 1, "weak", "strong") AS ?w)
                          FILTER(?w = "weak") }"""),
                constraint("ShapeD", "cutter", "{?t}", """
                        SELECT $this ?t WHERE { $this iff:state [ ngsi-ld:hasValue ?v ; ngsi-ld:observedAt ?t ] .
                          FILTER(?t < NOW() && ?t >= "1970-01-01T00:00:01Z"^^xsd:dateTime && ?t - 1000 = 0) }"""),
                constraint("ShapeE", "machine", "exact", """
                        SELECT $this WHERE { $this iff:hasFilter [ ngsi-ld:hasObject ?f ] . $this a iff:cutter }"""),
                constraint("ShapeF", "cutter", "it's {$this}'); DROP TABLE x; --", """
                        SELECT $this WHERE { $this iff:state [ ngsi-ld:hasValue ?v ] . FILTER(?v != "a'b") }"""),
                constraint("ShapeG", "filter", "{?n} samples", """
                        SELECT $this (COUNT(?s) AS ?n) WHERE { $this iff:strength [ ngsi-ld:hasValue ?s ] }
                        GROUP BY $this HAVING (COUNT(?s) >= 1)"""),
                constraint("ShapeH", "machine", "in {?v}", """
                        SELECT $this ?v WHERE { $this iff:state [ ngsi-ld:hasValue ?v ] .
                          FILTER(?v IN (iff:state_OFF, iff:state_X) && isIRI(?v)
                                 && STRSTARTS(STR(?v), "https://") && REGEX(STR(?v), "state_off$", "i")) }"""));
        SparqlCompilation compilation = SparqlConstraintTest.compile(shapes, SparqlConstraintTest.KNOWLEDGE);
        assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled), compilation.coverage()::toString);
        FlinkTestTables tables = SparqlConstraintTest.cutters()
                .property("urn:f1", IFF + "strength", "0.9")
                .property("urn:f2", IFF + "strength", "1");
        String union = compilation.statements().stream().map(SparqlStatement::query)
                .collect(Collectors.joining(" UNION ALL "));
        List<String> actual = new ArrayList<>();
        for (List<Object> row : tables.run(union)) {
            actual.add(row.get(0) + " | " + row.get(1) + " | " + row.get(4) + " | " + row.get(6));
        }
        List<String> expected = new ArrayList<>(List.of(
                "urn:c1 | SPARQLConstraintComponent(ShapeA) | ok | All ok",
                "urn:c2 | SPARQLConstraintComponent(ShapeA) | ok | All ok",
                "urn:f1 | SPARQLConstraintComponent(ShapeA) | warning | no filter none",
                "urn:f2 | SPARQLConstraintComponent(ShapeA) | warning | no filter none",
                "urn:c1 | SPARQLConstraintComponent(ShapeB) | ok | All ok",
                "urn:c2 | SPARQLConstraintComponent(ShapeB) | ok | All ok",
                "urn:f1 | SPARQLConstraintComponent(ShapeB) | warning | unlabelled " + IFF + "state_OFF",
                "urn:f2 | SPARQLConstraintComponent(ShapeB) | ok | All ok",
                "urn:f1 | SPARQLConstraintComponent(ShapeC) | warning | 1 weak",
                "urn:f2 | SPARQLConstraintComponent(ShapeC) | ok | All ok",
                "urn:c1 | SPARQLConstraintComponent(ShapeD) | warning | 1000",
                "urn:c2 | SPARQLConstraintComponent(ShapeD) | warning | 1000",
                "urn:c1 | SPARQLConstraintComponent(ShapeE) | ok | All ok",
                "urn:c2 | SPARQLConstraintComponent(ShapeE) | warning | exact",
                "urn:f1 | SPARQLConstraintComponent(ShapeE) | ok | All ok",
                "urn:f2 | SPARQLConstraintComponent(ShapeE) | ok | All ok",
                "urn:c1 | SPARQLConstraintComponent(ShapeF) | warning | it's urn:c1'); DROP TABLE x; --",
                "urn:c2 | SPARQLConstraintComponent(ShapeF) | warning | it's urn:c2'); DROP TABLE x; --",
                "urn:f1 | SPARQLConstraintComponent(ShapeG) | warning | 1 samples",
                "urn:f2 | SPARQLConstraintComponent(ShapeG) | warning | 1 samples",
                "urn:c1 | SPARQLConstraintComponent(ShapeH) | ok | All ok",
                "urn:c2 | SPARQLConstraintComponent(ShapeH) | ok | All ok",
                "urn:f1 | SPARQLConstraintComponent(ShapeH) | warning | in " + IFF + "state_OFF",
                "urn:f2 | SPARQLConstraintComponent(ShapeH) | ok | All ok"));
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    @Test
    void rulesConstructHashesStateTimesOverHistoryAndRelationships() {
        String shapes = """
                iff:HashRule a sh:NodeShape ; sh:targetClass iff:filter ; sh:rule [ a sh:SPARQLRule ; sh:construct \"\"\"
                  PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                  CONSTRUCT { $this iff:hashed [ <https://uri.etsi.org/ngsi-ld/hasValue> ?h ] . }
                  WHERE { $this iff:strength [ <https://uri.etsi.org/ngsi-ld/hasValue> ?s ] .
                          BIND(<https://industry-fusion.com/functions/v0.9/hash>(xsd:integer(?s)) AS ?h) }\"\"\" ] .
                iff:StateTimeRule a sh:NodeShape ; sh:targetClass iff:machine ; sh:rule [ a sh:SPARQLRule ;
                  sh:construct \"\"\"
                  PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                  CONSTRUCT { $this iff:availability [ <https://uri.etsi.org/ngsi-ld/hasValue> ?agg ] . }
                  WHERE { $this iff:state [ <https://uri.etsi.org/ngsi-ld/hasValue> ?v ;
                                            <https://uri.etsi.org/ngsi-ld/observedAt> ?t ] .
                          BIND(IF(?v = iff:state_ON, 1, 0) AS ?on)
                          BIND(<https://industry-fusion.com/aggregators/v0.9/statetime>(?on, ?t) AS ?agg) }
                  GROUP BY $this\"\"\" ] .
                iff:FeedsRule a sh:NodeShape ; sh:targetClass iff:filter ; sh:rule [ a sh:SPARQLRule ; sh:construct \"\"\"
                  PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                  CONSTRUCT { $this iff:feeds [ <https://uri.etsi.org/ngsi-ld/hasObject> ?c ] . }
                  WHERE { ?c iff:hasFilter [ <https://uri.etsi.org/ngsi-ld/hasObject> $this ] }\"\"\" ] .
                """;
        SparqlCompilation compilation = SparqlConstraintTest.compile(shapes, SparqlConstraintTest.KNOWLEDGE);
        assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled), compilation.coverage()::toString);
        FlinkTestTables tables = SparqlConstraintTest.cutters()
                .property("urn:f1", IFF + "strength", "0.9")
                .property("urn:f2", IFF + "strength", "1")
                .entity("urn:m1", IFF + "machine")
                // out of order on purpose: 0..2000 ON, 5000..11000 ON -> 8000 ms
                .iriProperty("urn:m1", IFF + "state", IFF + "state_ON", 5_000)
                .iriProperty("urn:m1", IFF + "state", IFF + "state_ON", 0)
                .iriProperty("urn:m1", IFF + "state", IFF + "state_OFF", 11_000)
                .iriProperty("urn:m1", IFF + "state", IFF + "state_OFF", 2_000);
        String union = compilation.statements().stream().map(SparqlStatement::query)
                .collect(Collectors.joining(" UNION ALL "));
        List<String> actual = new ArrayList<>();
        for (List<Object> row : tables.run(union)) {
            actual.add(SqliteQuoteFormat.line(Arrays.asList(str(row.get(2)), str(row.get(3)), str(row.get(4)),
                    str(row.get(5)), str(row.get(8)), str(row.get(6)), str(row.get(7)))) + " id=" + row.get(0));
        }
        actual.sort(null);
        String property = "'https://uri.etsi.org/ngsi-ld/Property'";
        List<String> expected = new ArrayList<>(List.of(
                "'urn:f1','" + IFF + "hashed','@value',NULL,'@none'," + property + ",0 id=urn:f1\\" + IFF + "hashed",
                "'urn:f2','" + IFF + "hashed','@value',NULL,'@none'," + property + ",12 id=urn:f2\\" + IFF + "hashed",
                "'urn:m1','" + IFF + "availability','@value',NULL,'@none'," + property + ",8000 id=urn:m1\\" + IFF
                        + "availability",
                "'urn:f1','" + IFF + "feeds','@id',NULL,'@none','https://uri.etsi.org/ngsi-ld/Relationship',"
                        + "'urn:c1' id=urn:f1\\" + IFF + "feeds",
                "'urn:f2','" + IFF + "feeds','@id',NULL,'@none','https://uri.etsi.org/ngsi-ld/Relationship',"
                        + "'urn:c2' id=urn:f2\\" + IFF + "feeds"));
        expected.sort(null);
        assertEquals(expected, actual);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
