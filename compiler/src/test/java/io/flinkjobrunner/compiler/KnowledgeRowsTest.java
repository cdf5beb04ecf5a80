package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.Test;

class KnowledgeRowsTest {

    private static final String SUB = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>";
    private static final String TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";

    private static final String KNOWLEDGE = """
            ex:Vehicle a rdfs:Class . ex:Motor rdfs:subClassOf ex:Vehicle . ex:Car rdfs:subClassOf ex:Motor .
            ex:Plant a rdfs:Class . ex:Tree rdfs:subClassOf ex:Plant .
            ex:Device a rdfs:Class . ex:Meter rdfs:subClassOf ex:Device . ex:Sensor rdfs:subClassOf ex:Meter .
            ex:car1 a ex:Car ; rdfs:label "car" . ex:tree1 a ex:Tree . ex:v1 a ex:Vehicle ; a ex:Plant .
            [ a ex:Car ; rdfs:label "anonymous" ] .
            ex:s1 a ex:Sensor .
            """;

    private static final String SHAPES = """
            ex:S a sh:NodeShape ; sh:targetClass ex:Case ;
              sh:property [ sh:path ex:kind ; sh:property [ sh:path ngsi-ld:hasValue ; sh:class ex:Vehicle ] ] ;
              sh:property [ sh:path ex:meter ; sh:property [ sh:path ngsi-ld:hasObject ; sh:class ex:Meter ] ] .
            """;

    @Test
    void aUnitShipsTheSubclassAndTypeRowsOfItsClassConstraintsWithTheKeysOfTheWholeClosure() throws Exception {
        Model knowledge = Turtle.parse(KNOWLEDGE);
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, Turtle.parse(SHAPES),
                CompileOptions.defaults("rows"));
        List<List<Object>> all = KnowledgeRows.all(KnowledgeClosure.of(knowledge)).rows();
        List<List<Object>> shipped = unit.table("rdf").rows();

        String ex = "http://example.com/";
        Set<String> expected = Set.of(
                "<" + ex + "Vehicle> " + SUB + " <" + ex + "Vehicle>", // reflexive: a declared class
                "<" + ex + "Motor> " + SUB + " <" + ex + "Vehicle>",
                "<" + ex + "Car> " + SUB + " <" + ex + "Vehicle>", // transitive
                "<" + ex + "Meter> " + SUB + " <" + ex + "Meter>", // reflexive: a subject of subClassOf
                "<" + ex + "Sensor> " + SUB + " <" + ex + "Meter>",
                "<" + ex + "car1> " + TYPE + " <" + ex + "Car>", // an instance of a subclass
                "<" + ex + "v1> " + TYPE + " <" + ex + "Vehicle>",
                "_:b0 " + TYPE + " <" + ex + "Car>",
                "<" + ex + "s1> " + TYPE + " <" + ex + "Sensor>");
        assertEquals(new TreeMap<>(keyed(all.stream().filter(r -> expected.contains(triple(r))).toList())),
                new TreeMap<>(keyed(shipped)), "exactly the rows the checks read, each with its key in the whole closure");
        assertEquals(expected.size(), shipped.size());
    }

    @Test
    void classConstraintsOnTheFocusNodeAndOnPathValuesShipTheSameRows() throws Exception {
        Model knowledge = Turtle.parse(KNOWLEDGE);
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetClass ex:Case ; sh:class ex:Vehicle ;
                  sh:property [ sh:path ( ex:meter ngsi-ld:hasObject ) ; sh:class ex:Meter ] .
                """), CompileOptions.defaults("rows"));
        DeploymentUnit attributeShapes = new ShaclCompiler(List.of()).assemble(knowledge, Turtle.parse(SHAPES),
                CompileOptions.defaults("rows"));
        assertEquals(new TreeMap<>(keyed(attributeShapes.table("rdf").rows())), new TreeMap<>(keyed(unit.table("rdf")
                .rows())), "a node-level sh:class and a sh:class on the nodes a path reaches read the same rows");
    }

    @Test
    void shapesWithoutClassConstraintsShipNoKnowledge() throws Exception {
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(Turtle.parse(KNOWLEDGE), Turtle.parse("""
                ex:S a sh:NodeShape ; sh:targetClass ex:Car ;
                  sh:property [ sh:path ex:speed ; sh:property [ sh:path ngsi-ld:hasValue ; sh:maxInclusive 200 ] ] .
                """), CompileOptions.defaults("rows"));
        assertEquals(List.of(), unit.table("rdf").rows());
        assertEquals(1, unit.table("constraint_table").rows().size());
    }

    @Test
    void aUnitWithSparqlConstraintsShipsTheWholeClosure() throws Exception {
        Model knowledge = Turtle.parse(KNOWLEDGE);
        DeploymentUnit unit = new ShaclCompiler().assemble(knowledge, Turtle.parse(SHAPES + """
                ex:Sparql a sh:NodeShape ; sh:targetClass ex:Case ;
                  sh:sparql [ sh:message "no kind" ; sh:select \"""
                    SELECT $this WHERE { $this <http://example.com/kind> [ <https://uri.etsi.org/ngsi-ld/hasValue> ?k ] .
                      FILTER(?k = "none") }
                  \""" ] .
                """), CompileOptions.defaults("rows"));
        assertTrue(unit.statements(UnitStatement.Kind.INSERT).stream().anyMatch(s -> s.shape() != null));
        assertEquals(KnowledgeRows.all(KnowledgeClosure.of(knowledge)).rows(), unit.table("rdf").rows());
    }

    /**
     * {@link KnowledgeRows#readByChecks} must cover every read of the {@code rdf} table by the generic statements: the
     * two halves of {@code instance_of} and the subclass join of the relationship class check. A new read needs a new
     * selection there first, then an update of these counts.
     */
    @Test
    void theGenericStatementsReadTheKnowledgeOnlyWhereTheSelectionCovers() {
        CheckStatements checks = new CheckStatements(TableNames.reference());
        String rdf = SqlIdentifiers.quote(TableNames.reference().rdf());
        // every statement the generic SQL can contain: all kinds of rows, every edge kind, predicate targets, paths
        Set<String> edges = new java.util.HashSet<>();
        for (String kind : List.of("hop", "value", "type", "unitCode", "datasetId", "attribute")) {
            edges.add(kind + ":F");
            edges.add(kind + ":I");
        }
        List<String> statements = new ArrayList<>(checks.views(new CheckStatements.Features(3, 4, edges, true,
                java.util.EnumSet.allOf(CheckStatements.Use.class))));
        statements.add(checks.publish(3));
        Map<String, Long> reads = new TreeMap<>();
        for (String sql : statements) {
            long count = (sql.length() - sql.replace(rdf, "").length()) / rdf.length();
            if (count > 0) {
                reads.put(sql.lines().findFirst().orElseThrow(), count);
            }
        }
        assertEquals(Map.of("CREATE VIEW `fjr_instance_of` AS", 3L, "CREATE VIEW `fjr_checks` AS", 1L), reads);
    }

    private static String triple(List<Object> row) {
        return row.get(0) + " " + row.get(1) + " " + row.get(2);
    }

    private static Map<String, Object> keyed(List<List<Object>> rows) {
        return rows.stream().collect(Collectors.toMap(KnowledgeRowsTest::triple, r -> r.get(3)));
    }
}
