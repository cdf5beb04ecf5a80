package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.rdf4j.model.Model;
import org.junit.jupiter.api.Test;

class ShaclCompilerTest {

    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    @Test
    void numbersRowsLikeTheReferenceSoOrGroupIdsMatch() throws Exception {
        // test9's layout: six single-row attributes, one attribute with two OR branches -> rows 0-7, OR target 8
        DeploymentUnit unit = compile("", """
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ex:a1 ; sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:integer ] ] ;
                  sh:property [ sh:path ex:a2 ; sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:double ] ] ;
                  sh:property [ sh:path ex:a3 ; sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:boolean ] ] ;
                  sh:property [ sh:path ex:a4 ; sh:property [ sh:path ngsi-ld:hasValue ;
                    sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:double ] ) ] ] ;
                  sh:property [ sh:path ex:a5 ; sh:property [ sh:path ngsi-ld:hasJSON ] ] ;
                  sh:property [ sh:path ex:a6 ; sh:property [ sh:path ngsi-ld:hasObject ; sh:class ex:D ] ] ;
                  sh:property [ sh:path ex:hasList ; sh:minCount 1 ; sh:or (
                    [ sh:property [ sh:path ngsi-ld:hasValueList ] ]
                    [ sh:property [ sh:path ngsi-ld:hasValue ; sh:datatype xsd:string ] ] ) ] .
                """);
        List<Map<String, Object>> rows = rows(unit.table("constraint_table"));
        assertEquals(9, rows.size());
        assertEquals("http://example.com/a6", rows.get(0).get("propertyPath"), "relationship rows come first");
        Map<String, Object> merged = rows.stream().filter(r -> "http://example.com/a4".equals(r.get("propertyPath")))
                .findFirst().orElseThrow();
        assertEquals(XSD + "integer," + XSD + "double", merged.get("datatypes"), "datatype-only branches merge");
        Map<String, Object> or = rows.get(8);
        assertEquals(8, or.get("id"));
        assertEquals("http://example.com/C", or.get("targetClass"));
        List<Map<String, Object>> combinations = rows(unit.table("constraint_combination_table"));
        assertEquals(List.of(6, 7), combinations.stream().filter(c -> "OR".equals(c.get("operation")))
                .map(c -> c.get("member_constraint_id")).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 8), combinations.stream().filter(c -> "PUBLISH".equals(c.get("operation")))
                .map(c -> (Integer) c.get("member_constraint_id")).sorted().toList());
        for (Map<String, Object> member : rows.subList(6, 8)) {
            assertEquals("1", member.get("minCount"), "the attribute's count is copied into every branch");
        }
    }

    @Test
    void writesOneRowPerInheritedTargetClassWithSeverityLabels() throws Exception {
        DeploymentUnit unit = compile("""
                ex:B rdfs:subClassOf ex:A . ex:C1 rdfs:subClassOf ex:B .
                ex:critical rdfs:label "critical" .
                """, """
                ex:S a sh:NodeShape ; sh:targetClass ex:A ;
                  sh:property [ sh:path ex:p ; sh:maxCount 1 ; sh:severity ex:critical ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:minInclusive 0 ] ] ;
                  sh:property [ sh:path ex:q ; sh:severity sh:Violation ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:nodeKind sh:Literal ] ] .
                """);
        List<Map<String, Object>> rows = rows(unit.table("constraint_table"));
        assertEquals(List.of("http://example.com/A", "http://example.com/B", "http://example.com/C1"),
                rows.stream().filter(r -> "http://example.com/p".equals(r.get("propertyPath")))
                        .map(r -> r.get("targetClass")).toList());
        Map<String, Object> p = rows.get(0);
        assertEquals("critical", p.get("severity"));
        assertEquals("1", p.get("maxCount"));
        assertNull(p.get("propertyNodetype"), "no sh:nodeKind, no NodeKind check");
        Map<String, Object> q = rows.stream().filter(r -> "http://example.com/q".equals(r.get("propertyPath")))
                .findFirst().orElseThrow();
        assertEquals("warning", q.get("severity"), "sh:Violation has no label: the reference's default");
        assertEquals("@value", q.get("propertyNodetype"));
    }

    @Test
    void compilesLogicalCombinationsIntoLevels() throws Exception {
        DeploymentUnit unit = compile("", """
                ex:S a sh:NodeShape ; sh:targetNode ex:e1 ;
                  sh:not [ sh:property [ sh:path ex:forbidden ; sh:minCount 1 ] ] ;
                  sh:xone ( [ sh:property [ sh:path ex:a ; sh:minCount 1 ] ]
                            [ sh:and ( [ sh:property [ sh:path ex:b ; sh:minCount 1 ] ]
                                       [ sh:property [ sh:path ex:c ; sh:minCount 1 ] ] ) ] ) .
                """);
        List<Map<String, Object>> combinations = rows(unit.table("constraint_combination_table"));
        assertTrue(combinations.stream().anyMatch(c -> "NOT".equals(c.get("operation")) && (int) c.get("level") == 1));
        assertTrue(combinations.stream().anyMatch(c -> "AND".equals(c.get("operation")) && (int) c.get("level") == 1));
        assertTrue(combinations.stream().anyMatch(c -> "XONE".equals(c.get("operation")) && (int) c.get("level") == 2));
        assertTrue(rows(unit.table("constraint_table")).stream().allMatch(r -> "http://example.com/e1".equals(r.get("targetNode"))));
        assertTrue(unit.script().contains("CREATE VIEW `fjr_triggers_2`"), "one view per combination level");
    }

    @Test
    void writesPathsAsStepRowsAndGivesNestedShapesTheirFocusPath() throws Exception {
        DeploymentUnit unit = compile("", """
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ( ex:hasPart ngsi-ld:hasObject ex:state ) ; sh:minCount 1 ] ;
                  sh:property [ sh:path ex:temp ; sh:property [ sh:path ex:unit ; sh:minCount 1 ] ] .
                """);
        List<Map<String, Object>> rows = rows(unit.table("constraint_table"));
        Map<String, Object> count = rows.stream().filter(r -> ("(<http://example.com/hasPart> / "
                + "<https://uri.etsi.org/ngsi-ld/hasObject> / <http://example.com/state>)").equals(r.get("propertyPath")))
                .findFirst().orElseThrow();
        assertEquals("path", count.get("valueKind"));
        assertEquals("1", count.get("minCount"));
        assertEquals(List.of(
                List.of("0", "http://example.com/hasPart https://uri.etsi.org/ngsi-ld/hasObject", "F", "-"),
                List.of("1", "http://example.com/state", "F", "-"), List.of("C")),
                steps(rows, count.get("valuePath")), "one step per hop: attribute and object fused");
        Map<String, Object> unitCount = rows.stream().filter(r -> "http://example.com/unit".equals(r.get("propertyPath")))
                .findFirst().orElseThrow();
        assertNull(unitCount.get("valueKind"), "a sub-attribute is read by name, like an attribute");
        assertEquals(List.of(List.of("0", "http://example.com/temp", "F", "http://example.com/temp"), List.of("C")),
                steps(rows, unitCount.get("focusPath")), "the sub-attribute shape's focus: the attribute's nodes");
        int lastConstraint = rows.stream().filter(r -> r.get("stepPath") == null).mapToInt(r -> (int) r.get("id"))
                .max().orElseThrow();
        assertTrue(rows.stream().filter(r -> r.get("stepPath") != null).allMatch(r -> (int) r.get("id") > lastConstraint),
                "step rows come after every constraint, so the reference's ids do not move");
        assertTrue(unit.script().contains("CREATE VIEW `fjr_reach_2`"), unit.script());
        assertTrue(!unit.script().contains("fjr_reach_3"), "as many step views as the longest path needs");
    }

    @Test
    void theReferencesShapesNeedNoPathViewsAndOnlyTheirOwnChecks() throws Exception {
        String script = new ShaclCompiler(List.of()).assemble(Turtle.parse(""),
                Turtle.resource("/kms/kms-constraints/test1/shacl.ttl"), CompileOptions.defaults("test")).script();
        for (String absent : List.of("fjr_reach", "fjr_edges", "fjr_reached", "UniqueLangConstraintComponent",
                "ClosedConstraintComponent", "EqualsConstraintComponent")) {
            assertTrue(!script.contains(absent), absent);
        }
        assertTrue(script.contains("CountConstraintComponent"), script);
    }

    @Test
    void nestedShapesAreMembersAtTheirFocusDepth() throws Exception {
        DeploymentUnit unit = compile("", """
                ex:S a sh:NodeShape ; sh:targetClass ex:C ;
                  sh:property [ sh:path ex:a ; sh:qualifiedMinCount 1 ;
                    sh:qualifiedValueShape [ sh:property [ sh:path ngsi-ld:hasValue ; sh:in ( "x" ) ] ] ] ;
                  sh:property [ sh:path ex:hasPart ; sh:property [ sh:path ngsi-ld:hasObject ; sh:node ex:T ] ] .
                ex:T a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
                """);
        List<Map<String, Object>> rows = rows(unit.table("constraint_table"));
        List<Map<String, Object>> combinations = rows(unit.table("constraint_combination_table"));
        Map<String, Object> qualified = combinations.stream().filter(c -> "QUALIFIED".equals(c.get("operation")))
                .findFirst().orElseThrow();
        assertEquals(1, qualified.get("member_depth"), "the qualified shape is evaluated at the attribute's nodes");
        Map<String, Object> node = combinations.stream().filter(c -> "NODE".equals(c.get("operation")))
                .findFirst().orElseThrow();
        assertEquals(0, node.get("member_depth"), "sh:node and the referenced shape share the value node");
        Map<String, Object> nodeRow = rows.stream().filter(r -> node.get("target_constraint_id").equals(r.get("id")))
                .findFirst().orElseThrow();
        assertEquals("parent", nodeRow.get("resultAt"), "the result belongs to the entity holding the relationship");
        Map<String, Object> name = rows.stream().filter(r -> node.get("member_constraint_id").equals(r.get("id")))
                .findFirst().orElseThrow();
        assertEquals(nodeRow.get("focusPath"), name.get("focusPath"));
        assertEquals(List.of(List.of("0", "http://example.com/hasPart https://uri.etsi.org/ngsi-ld/hasObject", "F",
                "http://example.com/hasPart"), List.of("C")), steps(rows, name.get("focusPath")));
    }

    /**
     * The first step sequence of a path, decoded from its row's {@code stepList}: per step the position, predicate,
     * direction and mark ("-" for none), then the row's target class ("C" for ex:C, "-" for NULL).
     */
    private static List<List<String>> steps(List<Map<String, Object>> rows, Object path) {
        Map<String, Object> row = rows.stream().filter(r -> path.equals(r.get("stepPath")) && "0".equals(r.get("stepSeq")))
                .findFirst().orElseThrow(() -> new AssertionError("no step row for path " + path + ": " + rows));
        List<List<String>> out = new java.util.ArrayList<>();
        String[] steps = row.get("stepList").toString().split("\\{", -1);
        for (int i = 0; i < steps.length; i++) {
            String[] parts = steps[i].split("}", 2);
            out.add(List.of(String.valueOf(i), parts[0].substring(1), parts[0].substring(0, 1),
                    parts.length > 1 ? parts[1] : "-"));
        }
        out.add(List.of(row.get("targetClass") == null ? "-"
                : row.get("targetClass").toString().replace("http://example.com/C", "C")));
        return out;
    }

    /**
     * {@code statementsOf} (what {@code bin/fjr compile} plans while the unit's data is built) gives exactly the
     * statements of the unit, for every case shipped with the tests: the reference's, the compiler cases and the
     * gen_kms golden; and nothing when the shapes have SPARQL (their statements are made from the closure).
     */
    @Test
    void theStatementsAloneAreTheUnitsStatements() throws Exception {
        List<Path> cases = new ArrayList<>();
        for (String group : List.of("kms/kms-constraints", "kms/kms-rules", "golden", "compiler-cases")) {
            try (var dirs = Files.list(Path.of("src/test/resources", group))) {
                dirs.sorted().forEach(cases::add);
            }
        }
        int early = 0;
        int sparql = 0;
        for (Path dir : cases) {
            Path shapesFile = Files.exists(dir.resolve("shacl.ttl"))
                    ? dir.resolve("shacl.ttl") : dir.resolve("shapes.ttl");
            Path knowledgeFile = dir.resolve("knowledge.ttl");
            Model shapes = Turtle.parse(Files.readString(shapesFile));
            Model knowledge = Files.exists(knowledgeFile)
                    ? Turtle.parse(Files.readString(knowledgeFile)) : Turtle.parse("");
            ShaclCompiler compiler = new ShaclCompiler();
            CompileOptions options = CompileOptions.defaults("early");
            ShaclCompiler.ReadShapes read = compiler.read(knowledge, shapes);
            Optional<DeploymentUnit> statements = compiler.statementsOf(read, options);
            DeploymentUnit unit = compiler.assemble(read, knowledge, shapes, options);
            if (statements.isPresent()) {
                early++;
                assertEquals(unit.statements(), statements.get().statements(), dir.toString());
                assertTrue(statements.get().semanticData().isEmpty(), dir.toString());
            } else {
                sparql++;
                assertTrue(compiler.translatesAny(shapes), dir.toString());
            }
        }
        assertTrue(early >= 40 && sparql >= 1, early + " cases with statements alone, " + sparql + " with SPARQL");
    }

    @Test
    void scriptHasOneStatementSetAndUsesTheOptions() throws Exception {
        CompileOptions options = new CompileOptions(Topics.defaults("plant-1"), "kafka:9093",
                new TableNames("p1_"), Duration.ofMillis(25));
        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(Turtle.parse(""), Turtle.resource(
                "/kms/kms-constraints/test1/shacl.ttl"), options);
        String script = unit.script();
        assertEquals(1, script.split("EXECUTE STATEMENT SET", -1).length - 1);
        assertTrue(script.contains("CREATE TABLE `p1_alerts_bulk`"));
        assertTrue(script.contains("'topic' = 'fjr.plant-1.constraint_table'"));
        assertTrue(script.contains("'properties.bootstrap.servers' = 'kafka:9093'"));
        assertTrue(script.contains("INSERT INTO `p1_alerts_bulk`"));
        assertTrue(script.contains("SET 'execution.buffer-timeout' = '25 ms';"), script);
        assertEquals(CompileOptions.DEFAULT_BUFFER_TIMEOUT,
                new CompileOptions(Topics.defaults("plant-1"), "kafka:9093", TableNames.reference()).bufferTimeout());
        IllegalArgumentException negative = assertThrows(
                IllegalArgumentException.class, () -> new CompileOptions(options.topics(), "kafka:9093",
                        TableNames.reference(), Duration.ofMillis(-1)));
        assertTrue(negative.getMessage().contains("buffer timeout"), negative.getMessage());
        assertTrue(unit.records().stream().anyMatch(r -> r.topic().equals("fjr.plant-1.constraint_combination_table")
                && r.key().equals("{\"member_constraint_id\":0,\"target_constraint_id\":-1}")));
    }

    @Test
    void blankNodesOfTheKnowledgeGetTheSameLabelsInEveryCompilation() throws Exception {
        String knowledge = """
                ex:m ex:materials ( "1.4301" "1.4302" ) ; ex:spec [ ex:limit 3 ] .
                """;
        List<List<Object>> first = KnowledgeRows.all(KnowledgeClosure.of(Turtle.parse(knowledge))).rows();
        List<List<Object>> second = KnowledgeRows.all(KnowledgeClosure.of(Turtle.parse(knowledge))).rows();
        assertEquals(first, second, "a redeploy of the same knowledge must publish no changes");
        assertTrue(first.stream().anyMatch(row -> row.get(0).equals("_:b0")), first.toString());
        assertTrue(first.stream().noneMatch(row -> row.get(0).toString().startsWith("_:")
                && !row.get(0).toString().matches("_:b\\d+")), first.toString());
    }

    static DeploymentUnit compile(String knowledge, String shapes) throws CompilationException {
        Model k = Turtle.parse(knowledge);
        return new ShaclCompiler(List.of()).assemble(k, Turtle.parse(shapes), CompileOptions.defaults("test"));
    }

    static List<Map<String, Object>> rows(SemanticTable table) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < table.columns().size(); i++) {
                m.put(table.columns().get(i).name(), row.get(i));
            }
            out.add(m);
        }
        return out;
    }
}
