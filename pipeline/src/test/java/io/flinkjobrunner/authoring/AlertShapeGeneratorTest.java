package io.flinkjobrunner.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.testing.GoldenFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.TurtleReader;
import io.flinkjobrunner.shacl.ShapesGraphChecker;

class AlertShapeGeneratorTest {

    private static final String CUTTER = "https://industry-fusion.org/base/v0.1/cutter";

    /** Golden Turtle per operator in {@code authoring/shapes/<operator>.ttl}; {@code -Dgolden.update=true} rewrites. */
    @ParameterizedTest
    @EnumSource(ComparisonOperator.class)
    void writesTheGoldenShapeForEachOperator(ComparisonOperator operator) throws Exception {
        String turtle = AlertShapeGenerator.generate(new AlertCondition("temperature", operator, 75, "°c"), CUTTER)
                .turtle();
        Path golden = Path.of("src/test/resources/authoring/shapes", operator.name().toLowerCase() + ".ttl");
        GoldenFile.assertMatches(golden, turtle);
        RdfDocument parsed = TurtleReader.read(turtle, "generated.ttl");
        assertEquals(List.of(), ShapesGraphChecker.check(parsed));
    }

    @Test
    void namesTheShapeAfterTheTypeAsTheReferenceDid() throws AuthoringException {
        AlertShapeGenerator.GeneratedShape shape = AlertShapeGenerator.generate(
                new AlertCondition("humidity", ComparisonOperator.LESS, 30, "%"),
                "https://industry-fusion.com/types/v0.9/plasmaCutter");
        assertEquals("https://industry-fusion.org/base/v0.1/PlasmacutterAlertShape", shape.shapeIri());
        assertEquals(Values.iri("https://industry-fusion.com/types/v0.9/plasmaCutter"),
                Models.object(shape.model().filter(null, SHACL.TARGET_CLASS, null)).orElseThrow());
    }

    @Test
    void acceptsAbsoluteSensorIris() throws AuthoringException {
        Model model = AlertShapeGenerator.generate(new AlertCondition("https://example.org/pressure",
                ComparisonOperator.GREATER, 3, "bar"), CUTTER).model();
        assertTrue(model.contains(null, SHACL.PATH, Values.iri("https://example.org/pressure")));
    }

    /** Values that would break or extend a string template end up as inert literal text or are refused. */
    @ParameterizedTest
    @ValueSource(strings = {"\"\"\" ; a <http://evil/Shape> . <x> <y> \"\"\"", "\\\" .\n<a> <b> <c> .",
        "'; DROP TABLE alerts; --", "{{ lookup \"v1\" \"Secret\" \"iff\" \"\" }}"})
    void unitTextCannotInjectTurtle(String unit) throws AuthoringException {
        AlertShapeGenerator.GeneratedShape shape = AlertShapeGenerator.generate(
                new AlertCondition("temperature", ComparisonOperator.GREATER, 1, unit), CUTTER);
        Model reparsed = TurtleReader.read(shape.turtle(), "generated.ttl").model();
        assertTrue(Models.isomorphic(shape.model(), reparsed), shape.turtle());
        assertEquals(9, reparsed.size(), shape.turtle());
        assertEquals("Temperature > 1.0" + unit, Models.objectLiteral(reparsed.filter(null, SHACL.MESSAGE, null))
                .orElseThrow().getLabel());
    }

    @ParameterizedTest
    @ValueSource(strings = {"temp> ; <x> <y> <z", "temperature\n", "", "a b", "http://exa mple/x", "<x>"})
    void refusesSensorsThatAreNeitherNamesNorIris(String sensor) {
        AuthoringException error = assertThrows(AuthoringException.class, () -> AlertShapeGenerator.generate(
                new AlertCondition(sensor, ComparisonOperator.GREATER, 1, null), CUTTER));
        assertEquals(AuthoringException.Reason.INVALID_CONDITION, error.reason());
    }

    @Test
    void writesThresholdsAsDecimals() {
        assertEquals("75.0", AlertShapeGenerator.decimal(75));
        assertEquals("-0.5", AlertShapeGenerator.decimal(-0.5));
        assertEquals("100000000000000000000.0", AlertShapeGenerator.decimal(1e20));
        assertEquals("0.00001", AlertShapeGenerator.decimal(1e-5));
    }

    @Test
    void readsTheConditionBackFromAGeneratedShape() throws IOException, AuthoringException {
        for (ComparisonOperator operator : ComparisonOperator.values()) {
            AlertCondition condition = new AlertCondition("noise", operator, 85, null);
            Model model = AlertShapeGenerator.generate(condition, CUTTER).model();
            assertEquals(condition, AlertAuthoring.conditionOf(model).orElseThrow());
        }
    }
}
