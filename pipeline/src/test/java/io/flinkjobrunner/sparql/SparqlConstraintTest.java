package io.flinkjobrunner.sparql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SparqlConstraintTest {

    static final String PREFIXES = """
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix iff: <https://industry-fusion.com/types/v0.9/> .
            @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
            """;

    static final String KNOWLEDGE = PREFIXES + """
            iff:machine a rdfs:Class .
            iff:cutter rdfs:subClassOf iff:machine .
            iff:plasmacutter rdfs:subClassOf iff:cutter .
            iff:filter rdfs:subClassOf iff:machine .
            iff:state_ON a iff:machineState ; rdfs:label "ON" .
            iff:state_OFF a iff:machineState .
            iff:severityCritical rdfs:label "critical" .
            """;

    static final String ATTRIBUTES = """
            iff:MachineShape a sh:NodeShape ; sh:targetClass iff:machine ;
              sh:property [ sh:path iff:state ; sh:property [ sh:path ngsi-ld:hasValue ; sh:nodeKind sh:IRI ] ] ;
              sh:property [ sh:path iff:strength ; sh:property [ sh:path ngsi-ld:hasValue ; sh:nodeKind sh:Literal ] ] ;
              sh:property [ sh:path iff:hasFilter ; sh:property [ sh:path ngsi-ld:hasObject ; sh:class iff:filter ] ] .
            """;

    static SparqlCompilation compile(String shapes, String knowledge) {
        return new SparqlShapeCompiler(TestKnowledge.parse(PREFIXES + ATTRIBUTES + shapes),
                TestKnowledge.closure(TestKnowledge.parse(knowledge))).compile();
    }

    static SparqlStatement only(SparqlCompilation compilation) {
        assertTrue(compilation.coverage().stream().allMatch(SparqlCoverage::compiled), compilation.coverage()::toString);
        assertEquals(1, compilation.statements().size());
        return compilation.statements().get(0);
    }

    /** (resource, severity, text) of every alert row. */
    static List<List<Object>> alerts(FlinkTestTables tables, SparqlStatement statement) {
        List<List<Object>> result = new ArrayList<>();
        for (List<Object> row : tables.run(statement.query())) {
            assertEquals(statement.name(), row.get(1));
            assertEquals("Development", row.get(2));
            assertEquals(List.of("SHACL Validator"), row.get(3));
            assertEquals("customer", row.get(5));
            result.add(List.of(row.get(0), row.get(4), row.get(6)));
        }
        return result;
    }

    static FlinkTestTables cutters() {
        return TestKnowledge.withKnowledge(new FlinkTestTables(), KNOWLEDGE)
                .entity("urn:c1", "https://industry-fusion.com/types/v0.9/plasmacutter")
                .entity("urn:c2", "https://industry-fusion.com/types/v0.9/cutter")
                .entity("urn:f1", "https://industry-fusion.com/types/v0.9/filter")
                .entity("urn:f2", "https://industry-fusion.com/types/v0.9/filter")
                .iriProperty("urn:c1", "https://industry-fusion.com/types/v0.9/state",
                        "https://industry-fusion.com/types/v0.9/state_ON")
                .iriProperty("urn:c2", "https://industry-fusion.com/types/v0.9/state",
                        "https://industry-fusion.com/types/v0.9/state_ON")
                .iriProperty("urn:f1", "https://industry-fusion.com/types/v0.9/state",
                        "https://industry-fusion.com/types/v0.9/state_OFF")
                .iriProperty("urn:f2", "https://industry-fusion.com/types/v0.9/state",
                        "https://industry-fusion.com/types/v0.9/state_ON")
                .relationship("urn:c1", "https://industry-fusion.com/types/v0.9/hasFilter", "urn:f1")
                .relationship("urn:c2", "https://industry-fusion.com/types/v0.9/hasFilter", "urn:f2");
    }

    @Test
    void alertsTargetEntitiesThatMatchAndReportsOkForTheOthers() {
        SparqlStatement statement = only(compile("""
                iff:StateOnCutterShape a sh:NodeShape ; sh:targetClass iff:cutter ;
                  sh:sparql [ sh:severity iff:severityCritical ;
                    sh:message "Cutter {$this} running without running filter {?f} (state {?v2})" ;
                    sh:select \"\"\"
                      PREFIX iff: <https://industry-fusion.com/types/v0.9/>
                      SELECT $this ?f ?v2 WHERE {
                        $this iff:state [ <https://uri.etsi.org/ngsi-ld/hasValue> ?v1 ] .
                        $this iff:hasFilter [ <https://uri.etsi.org/ngsi-ld/hasObject> ?f ] .
                        ?f iff:state [ <https://uri.etsi.org/ngsi-ld/hasValue> ?v2 ] .
                        FILTER(?v1 = iff:state_ON && ?v2 != iff:state_ON)
                      }\"\"\" ] .
                """, KNOWLEDGE));
        assertEquals("SPARQLConstraintComponent(StateOnCutterShape)", statement.name());
        assertEquals(List.of(
                List.of("urn:c1", "critical", "Cutter urn:c1 running without running filter urn:f1 (state "
                        + "https://industry-fusion.com/types/v0.9/state_OFF)"),
                List.of("urn:c2", "ok", "All ok")), alerts(cutters(), statement));
    }
}
