package io.flinkjobrunner.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.rdf.TurtleReader;
import java.util.Set;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.Test;

class ReferenceEntityUniverseTest {

    private static final String IFF = "https://industry-fusion.com/types/v0.9/";

    @Test
    void holdsTheTargetClassesOfShapesWithPropertiesAndTheirSubclasses() {
        Model knowledge = TurtleReader.read("""
                @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                @prefix iff: <https://industry-fusion.com/types/v0.9/> .
                iff:cutter rdfs:subClassOf iff:machine .
                iff:plasmacutter rdfs:subClassOf iff:cutter .
                iff:oeeTemplate rdfs:subClassOf iff:scheduleEntity .
                iff:workpiece rdfs:subClassOf iff:entity .
                """, "knowledge.ttl").model();
        Model shapes = TurtleReader.read("""
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
                @prefix iff: <https://industry-fusion.com/types/v0.9/> .
                iff:MachineShape a sh:NodeShape ; sh:targetClass iff:machine ;
                  sh:property [ sh:path iff:state ; sh:property [ sh:path iff:x ] ] .
                iff:ScheduleShape a sh:NodeShape ; sh:targetClass iff:scheduleEntity ;
                  sh:sparql [ sh:message "m" ; sh:select "SELECT $this WHERE {}" ] .
                iff:lasercutter rdfs:subClassOf iff:cutter .
                """, "shacl.ttl").model();

        assertEquals(Set.of(IFF + "machine", IFF + "cutter", IFF + "plasmacutter", IFF + "lasercutter"),
                ReferenceEntityUniverse.of(knowledge, shapes));
    }

    @Test
    void appliesOnlyToShapesThatStayWithinTheTargetedEntities() {
        String prefixes = """
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                @prefix ex: <http://example.com/> .
                """;
        assertTrue(ReferenceEntityUniverse.restricts(TurtleReader.read(prefixes + """
                ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:a ; sh:minCount 1 ;
                  sh:property [ sh:path ngsi-ld:hasObject ; sh:class ex:D ] ;
                  sh:property [ sh:path ex:unit ; sh:minCount 1 ] ] .
                """, "shacl.ttl").model()), "class targets, attributes and sub-attributes: the reference's harness");
        for (String reaching : java.util.List.of(
                "ex:S sh:targetNode ex:e1 ; sh:property [ sh:path ex:a ; sh:minCount 1 ] .",
                "ex:S sh:targetSubjectsOf ex:a ; sh:property [ sh:path ex:a ; sh:minCount 1 ] .",
                "ex:S sh:targetObjectsOf ex:a ; sh:property [ sh:path ngsi-ld:hasObject ; sh:class ex:D ] .",
                "ex:S sh:targetClass ex:C ; sh:node ex:T . ex:T sh:property [ sh:path ex:a ; sh:minCount 1 ] .",
                "ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:a ngsi-ld:hasObject ) ; sh:minCount 1 ] .",
                "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:a ; sh:property [ sh:path ngsi-ld:hasObject ;"
                        + " sh:property [ sh:path ex:b ; sh:minCount 1 ] ] ] .")) {
            assertFalse(ReferenceEntityUniverse.restricts(TurtleReader.read(prefixes + reaching, "shacl.ttl").model()),
                    reaching);
        }
    }
}
