package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flinkjobrunner.engine.LocalEngine;
import io.flinkjobrunner.ngsild.NgsiLdContexts;
import io.flinkjobrunner.ngsild.NgsiLdData;
import io.flinkjobrunner.ngsild.NgsiLdMapper;
import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.planner.PlannerCheck;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.util.RDFCollections;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.RDFS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile strings in shapes, knowledge and data (quotes, backslashes, comment markers, template braces, newlines,
 * unicode, SQL keywords) never change the SQL's structure and arrive verbatim in the alerts.
 */
class HostileValuesTest {

    private static final ValueFactory VF = SimpleValueFactory.getInstance();
    private static final String SH = "http://www.w3.org/ns/shacl#";
    private static final String HOSTILE = "it's \"quoted\" \\back\\slash */ -- ; DROP TABLE x; {{ .Values.x }} ${y}"
            + "\nnew line\ttab ü 漢字 🚀 '';";
    /** Attribute IRI: Turtle/JSON-LD allow quotes, comment markers and semicolons in IRIs. */
    private static final String PATH = "http://example.com/it's--a*/b;c'')";
    private static final String CLASS = "http://example.com/Cl'ass--*/";
    private static List<String> inMembers = List.of("a'b", "c\"d", "e\\f", "g,h", "{{ x }}", "x*/--y", "O_", HOSTILE);

    private static LocalEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = LocalEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void hostileValuesStayDataAndArriveVerbatim() throws Exception {
        Model shapes = new LinkedHashModel();
        Resource shape = VF.createIRI("http://example.com/Shape'--");
        Resource attribute = VF.createBNode();
        Resource value = VF.createBNode();
        Resource list = VF.createBNode();
        shapes.add(shape, RDF.TYPE, sh("NodeShape"));
        shapes.add(shape, sh("targetClass"), VF.createIRI(CLASS));
        shapes.add(shape, sh("property"), attribute);
        shapes.add(attribute, sh("path"), VF.createIRI(PATH));
        shapes.add(attribute, sh("severity"), VF.createIRI("http://example.com/sev"));
        shapes.add(attribute, sh("message"), VF.createLiteral(HOSTILE + " {$this} {?value}"));
        shapes.add(attribute, sh("property"), value);
        shapes.add(value, sh("path"), VF.createIRI(NgsiLdVocabulary.HAS_VALUE));
        shapes.add(value, sh("in"), list);
        RDFCollections.asRDF(inMembers.stream().map(VF::createLiteral).collect(Collectors.toList()), list, shapes);
        shapes.add(value, sh("pattern"), VF.createLiteral("^[^%]*$"));
        Model knowledge = new LinkedHashModel();
        knowledge.add(VF.createIRI("http://example.com/sev"), RDFS.LABEL, VF.createLiteral("sev'ere */ --"));

        DeploymentUnit unit = new ShaclCompiler(List.of()).assemble(knowledge, shapes, CompileOptions.defaults("hostile"));
        String script = unit.script();
        for (String fragment : List.of("DROP TABLE", "{{ .Values", "漢字", "it's", "sev'ere")) {
            assertFalse(script.contains(fragment), "shape content must travel as data, not SQL: " + fragment);
        }
        assertTrue(unit.records().stream().anyMatch(r -> r.value() != null && r.value().contains("漢字")));

        ObjectMapper json = new ObjectMapper();
        ArrayNode entities = json.createArrayNode();
        Map<String, String> values = Map.of("urn:bad:1", HOSTILE + "x", "urn:bad:2", "O", "urn:bad:3", "g",
                "urn:ok:1", HOSTILE, "urn:ok:2", "c\"d", "urn:ok:3", "e\\f", "urn:ok:4", "O_");
        values.forEach((id, v) -> {
            ObjectNode e = entities.addObject();
            e.put("id", id).put("type", CLASS);
            e.putObject(PATH).put("type", "Property").put("value", v);
        });
        NgsiLdData data = new NgsiLdMapper(NgsiLdContexts.coreOnly()).map(entities.toString(), "hostile.json",
                AlertScenarios.clock());
        List<AlertScenarios.Alert> alerts = AlertScenarios.run(engine, unit, data);

        assertEquals(List.of("urn:bad:1", "urn:bad:2", "urn:bad:3"),
                alerts.stream().map(AlertScenarios.Alert::resource).sorted().toList(), alerts.toString());
        for (AlertScenarios.Alert alert : alerts) {
            assertEquals("InConstraintComponent(" + PATH + "[0])", alert.event());
            assertEquals("sev'ere */ --", alert.severity());
            assertEquals(HOSTILE + " " + alert.resource() + " " + values.get(alert.resource()), alert.text());
        }
        PlannerCheck.check(unit);
    }

    private static IRI sh(String local) {
        return VF.createIRI(SH, local);
    }
}
