package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flinkjobrunner.compiler.ConstraintRow.PairKind;
import io.flinkjobrunner.compiler.ConstraintRow.ValueKind;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConstraintTableTest {

    @Test
    void columnsAreTheReferencesThenTheCompilersInTableOrder() {
        SemanticTable table = ConstraintTable.of(List.of());
        assertEquals("constraint_table", table.name());
        assertEquals(List.of("id"), table.primaryKey());
        assertEquals(List.of("id", "targetClass", "propertyPath", "subpropertyPath", "propertyClass",
                "propertyNodetype", "attributeType", "maxCount", "minCount", "severity", "minExclusive", "maxExclusive",
                "minInclusive", "maxInclusive", "minLength", "maxLength", "pattern", "ins", "datatypes", "hasValue",
                "targetNode", "shape", "message", "languagePattern", "uniqueLang", "pairKind", "pairPath",
                "closedPaths", "qualifiedMinCount", "qualifiedMaxCount", "targetSubjectsOf", "targetObjectsOf",
                "valueKind", "resultAt", "focusPath", "valuePath", "stepPath", "stepSeq", "stepList"),
                table.columns().stream().map(SemanticTable.Column::name).toList());
        assertEquals("INT", table.columns().get(0).type());
        assertEquals(List.of("STRING"), table.columns().stream().skip(1).map(SemanticTable.Column::type).distinct()
                .toList());
        assertEquals(table.columns().stream().skip(1).map(SemanticTable.Column::name).toList(),
                ConstraintTable.stringColumns());
    }

    @Test
    void theDdlDefinesTheColumnsOfTheTable() {
        assertEquals(ConstraintTable.of(List.of()).columns().stream()
                        .map(c -> "`" + c.name() + "` " + c.type()).collect(Collectors.joining(", ")),
                ConstraintTable.columnDefinitions());
    }

    @Test
    void everyParameterIsWrittenIntoTheColumnOfItsName() throws Exception {
        RecordComponent[] components = ConstraintRow.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 7);
        expected.put("targetClass", "urn:C");
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            Class<?> type = components[i].getType();
            if (type == String.class) {
                values[i] = name + "-value";
                expected.put(name, name + "-value");
            } else if (type == PairKind.class) {
                values[i] = PairKind.LESS_THAN;
                expected.put(name, "lessThan");
            } else if (type == ValueKind.class) {
                values[i] = ValueKind.PATH;
                expected.put(name, "path");
            } else if (name.equals("resultAtParent")) {
                values[i] = true;
                expected.put("resultAt", "parent");
            } else {
                values[i] = true;
                expected.put(name, "true");
            }
        }
        ConstraintRow row = ConstraintRow.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).newInstance(values);
        expected.put("focusPath", "1");
        expected.put("valuePath", "2");

        Map<String, Object> written = written(ConstraintTable.constraint(7,
                new ShapeTarget(ShapeTarget.Kind.CLASS, "urn:C"), row, "1", "2"));

        assertEquals(expected, written);
    }

    @Test
    void aTargetIsWrittenIntoTheColumnOfItsKind() {
        Map<ShapeTarget.Kind, String> columns = Map.of(ShapeTarget.Kind.CLASS, "targetClass", ShapeTarget.Kind.NODE,
                "targetNode", ShapeTarget.Kind.SUBJECTS_OF, "targetSubjectsOf", ShapeTarget.Kind.OBJECTS_OF,
                "targetObjectsOf");
        for (ShapeTarget.Kind kind : ShapeTarget.Kind.values()) {
            Map<String, Object> written = written(ConstraintTable.constraint(0, new ShapeTarget(kind, "urn:t"),
                    ConstraintRow.of("urn:S"), null, null));
            assertEquals(Map.of("id", 0, columns.get(kind), "urn:t", "shape", "urn:S"), written, kind.name());
        }
    }

    @Test
    void aStepRowWritesItsTargetAndSteps() {
        Map<String, Object> written = written(ConstraintTable.step(12, new ShapeTarget(ShapeTarget.Kind.NODE, "urn:e"),
                "3", 1, "Furn:p"));
        assertEquals(Map.of("id", 12, "targetNode", "urn:e", "stepPath", "3", "stepSeq", "1", "stepList", "Furn:p"),
                written);
    }

    /** The non-null values of an entry by column name, through the table it makes. */
    private static Map<String, Object> written(ConstraintTable.Entry entry) {
        SemanticTable table = ConstraintTable.of(List.of(entry));
        List<Object> row = table.rows().get(0);
        Map<String, Object> written = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            if (row.get(i) != null) {
                written.put(table.columns().get(i).name(), row.get(i));
            }
        }
        return written;
    }
}
