package io.flinkjobrunner.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkjobrunner.ngsild.NgsiLdContexts;

/** Alert authoring with the ShaclSail verdict only (the stream verdict is in {@link AlertAuthoringStreamTest}). */
class AlertAuthoringTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String IFF = "https://industry-fusion.org/base/v0.1/";

    static final String CUTTER = """
            {"@context": "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
             "id": "urn:iff:cutter:1", "type": "https://industry-fusion.org/base/v0.1/cutter",
             "https://industry-fusion.org/base/v0.1/temperature": {"type": "Property", "value": 20},
             "https://industry-fusion.org/base/v0.1/state": {"type": "Property", "value": {"@id": "urn:state:on"}}}
            """;

    private final AlertAuthoring authoring = new AlertAuthoring(NgsiLdContexts.coreOnly(), null);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void generatedShapesPassEveryScenario(ComparisonOperator operator) throws AuthoringException {
        AlertCondition condition = new AlertCondition("temperature", operator, 75, "°c");
        String shape = authoring.generate(condition, json(CUTTER)).turtle();
        AlertRuleTest test = authoring.test(shape, json(CUTTER), condition, NOW);
        assertTrue(test.validSyntax());
        assertEquals(3, test.scenarios().size());
        assertTrue(test.allPassed(), () -> test.scenarios().toString());
        assertTrue(test.scenarios().stream().allMatch(s -> s.streamTriggered() == null));
        assertEquals(List.of(), test.notes());
    }

    @Test
    void generatesForTheExpandedEntityType() throws AuthoringException {
        String entity = """
                {"@context": [{"iffbase": "https://industry-fusion.com/types/v0.9/"}],
                 "id": "urn:x:1", "type": "iffbase:plasmacutter"}""";
        AlertShapeGenerator.GeneratedShape shape = authoring.generate(AlertPromptParser.parse("temp above 5"),
                json(entity));
        assertTrue(shape.turtle().contains("sh:targetClass <https://industry-fusion.com/types/v0.9/plasmacutter>"),
                shape.turtle());
        assertEquals(IFF + "PlasmacutterAlertShape", shape.shapeIri());
        assertEquals(IFF + "AssetAlertShape", authoring.generate(AlertPromptParser.parse(""), null).shapeIri());
    }

    @Test
    void theReferencesEqualsMappingFiresForEveryValue() throws AuthoringException {
        String reference = """
                @prefix if: <https://industry-fusion.org/base/v0.1/> .
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
                if:CutterAlertShape a sh:NodeShape ; sh:targetClass if:cutter ;
                  sh:property [ sh:path if:temperature ;
                    sh:property [ sh:path ngsi-ld:hasValue ; sh:hasValue "75.0"^^xsd:decimal ;
                      sh:severity sh:Violation ; sh:message "Temperature == 75.0" ] ] .
                """;
        AlertCondition equals = new AlertCondition("temperature", ComparisonOperator.EQUAL, 75, null);
        AlertRuleTest test = authoring.test(reference, json(CUTTER), equals, NOW);
        assertFalse(test.allPassed());
        assertEquals(List.of(true, true, true), test.scenarios().stream().map(ScenarioOutcome::shaclTriggered)
                .toList());
        assertEquals(List.of(true, false, false), test.scenarios().stream().map(ScenarioOutcome::passed).toList());
    }

    @Test
    void theBoundaryScenarioCatchesAnInclusiveBoundForGreaterOrEqual() throws AuthoringException {
        AlertCondition greater = new AlertCondition("temperature", ComparisonOperator.GREATER, 75, null);
        String shape = authoring.generate(greater, json(CUTTER)).turtle();
        AlertCondition atLeast = new AlertCondition("temperature", ComparisonOperator.GREATER_OR_EQUAL, 75, null);
        AlertRuleTest test = authoring.test(shape, json(CUTTER), atLeast, NOW);
        assertEquals(List.of(true, true, false), test.scenarios().stream().map(ScenarioOutcome::passed).toList());
        assertEquals("boundary: temperature = 75.0", test.scenarios().get(2).scenario().name());
    }

    @Test
    void readsTheConditionFromTheShapeAndBuildsAnEntityWithoutData() throws AuthoringException {
        String shape = authoring.generate(AlertPromptParser.parse("noise at least 85 dB"), json(CUTTER)).turtle();
        AlertRuleTest test = authoring.test(shape, null, null, NOW);
        assertEquals(new AlertCondition("noise", ComparisonOperator.GREATER_OR_EQUAL, 85, null), test.condition());
        assertTrue(test.allPassed(), () -> test.scenarios().toString());
        assertEquals(List.of("Noise >= 85.0db"), test.scenarios().get(0).messages());
    }

    @Test
    void reportsSyntaxErrorsWithPosition() throws AuthoringException {
        AlertRuleTest test = authoring.test("@prefix sh: <http://www.w3.org/ns/shacl#> .\nex:S a sh:NodeShape .",
                json(CUTTER), null, NOW);
        assertFalse(test.validSyntax());
        assertEquals("SHACL syntax error: shacl_rule:2:1: Namespace prefix 'ex' used but not defined", test.error());
        assertFalse(test.allPassed());
    }

    @Test
    void reportsIllFormedShacl() throws AuthoringException {
        AlertRuleTest test = authoring.test("""
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix ex: <http://example.org/> .
                ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .
                """, json(CUTTER), null, NOW);
        assertFalse(test.validSyntax());
        assertTrue(test.error().startsWith("SHACL is not well-formed: shacl_rule:3:"), test.error());
        assertTrue(test.error().contains("[minCount-datatype]"), test.error());
    }

    @Test
    void notesAnEntityTypeTheShapeDoesNotTarget() throws AuthoringException {
        String shape = authoring.generate(AlertPromptParser.parse("temp above 5"), json(CUTTER)).turtle();
        String filter = CUTTER.replace("base/v0.1/cutter", "base/v0.1/filter");
        AlertRuleTest test = authoring.test(shape, json(filter), null, NOW);
        assertEquals(List.of("the entity type <https://industry-fusion.org/base/v0.1/filter> is not a sh:targetClass"
                + " of the shape, so no scenario can trigger it"), test.notes());
        assertFalse(test.allPassed());
    }

    @Test
    void refusesDataThatIsNotOneEntity() {
        AuthoringException error = assertThrows(AuthoringException.class,
                () -> authoring.test(shape(), json("[" + CUTTER + "]"), null, NOW));
        assertEquals(AuthoringException.Reason.INVALID_DATA, error.reason());
        assertEquals("jsonld_data must be one NGSI-LD entity (a JSON object), not array", error.getMessage());
    }

    @Test
    void neverFetchesARemoteContext() {
        String remote = CUTTER.replace("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld",
                "http://169.254.169.254/latest/meta-data/context.jsonld");
        AuthoringException error = assertThrows(AuthoringException.class,
                () -> authoring.test(shape(), json(remote), null, NOW));
        assertEquals(AuthoringException.Reason.INVALID_DATA, error.reason());
        assertTrue(error.getMessage().contains("http://169.254.169.254/latest/meta-data/context.jsonld"),
                error.getMessage());
    }

    @Test
    void needsAConditionWhenTheShapeDoesNotRevealOne() {
        String twoBounds = """
                @prefix sh: <http://www.w3.org/ns/shacl#> .
                @prefix ngsi-ld: <https://uri.etsi.org/ngsi-ld/> .
                @prefix if: <https://industry-fusion.org/base/v0.1/> .
                if:S a sh:NodeShape ; sh:targetClass if:cutter ; sh:property [ sh:path if:temperature ;
                  sh:property [ sh:path ngsi-ld:hasValue ; sh:minInclusive 0 ; sh:maxInclusive 10 ] ] .
                """;
        AuthoringException error = assertThrows(AuthoringException.class,
                () -> authoring.test(twoBounds, json(CUTTER), null, NOW));
        assertEquals(AuthoringException.Reason.NO_CONDITION, error.reason());
    }

    @Test
    void replacesTheSensorAttributeOfTheCallersEntity() throws AuthoringException {
        AlertCondition hot = new AlertCondition("temperature", ComparisonOperator.GREATER, 75, null);
        String shape = authoring.generate(hot, json(CUTTER)).turtle();
        // the caller's entity says 20 under the full IRI and under a compact key; neither may leak into a scenario
        String both = CUTTER.replace("\"id\":", "\"iff:temperature\": {\"type\": \"Property\", \"value\": 99},"
                + " \"id\":").replace("\"@context\": \"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld\"",
                "\"@context\": [{\"iff\": \"https://industry-fusion.org/base/v0.1/\"}]");
        AlertRuleTest test = authoring.test(shape, json(both), hot, NOW);
        assertTrue(test.allPassed(), () -> test.scenarios().toString());
        assertNull(test.error());
    }

    @Test
    void aFailedStreamVerdictMeansTheTestDidNotPass() throws AuthoringException {
        AlertAuthoring broken = new AlertAuthoring(NgsiLdContexts.coreOnly(), (shapes, data, notes) -> {
            throw new AuthoringException(AuthoringException.Reason.ENGINE_FAILED, "the stream job timed out");
        });
        AlertRuleTest test = broken.test(shape(), json(CUTTER), null, NOW);
        assertEquals("the stream job timed out", test.streamError());
        assertTrue(test.scenarios().stream().allMatch(ScenarioOutcome::passed), "ShaclSail still judged them");
        assertFalse(test.allPassed());
    }

    private String shape() throws AuthoringException {
        return authoring.generate(AlertPromptParser.parse("temp above 5"), json(CUTTER)).turtle();
    }
}
