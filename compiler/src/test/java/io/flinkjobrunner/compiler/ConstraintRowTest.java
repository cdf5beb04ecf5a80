package io.flinkjobrunner.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkjobrunner.compiler.ConstraintRow.PairKind;
import io.flinkjobrunner.compiler.ConstraintRow.ValueKind;
import org.junit.jupiter.api.Test;

class ConstraintRowTest {

    @Test
    void inheritingKeepsTheRowsOwnParametersAndTakesTheOthersFromOutside() {
        ConstraintRow outer = new ConstraintRow.Builder().shape("urn:S / urn:p").severity("critical")
                .message("outer").propertyPath("urn:p").minCount("1").uniqueLang(true).build();
        ConstraintRow own = new ConstraintRow.Builder().shape("urn:S / urn:p / hasValue").message("own")
                .datatypes("xsd:int").valueKind(ValueKind.VALUE).build();

        ConstraintRow merged = own.inheriting(outer);

        assertEquals(new ConstraintRow.Builder().shape("urn:S / urn:p / hasValue").severity("critical")
                .message("own").propertyPath("urn:p").minCount("1").uniqueLang(true).datatypes("xsd:int")
                .valueKind(ValueKind.VALUE).build(), merged);
    }

    @Test
    void aCopyOfABuilderDoesNotSeeLaterChanges() {
        ConstraintRow.Builder row = ConstraintRow.of("urn:S").toBuilder().valueKind(ValueKind.PATH);
        ConstraintRow.Builder counts = row.copy();
        row.datatypes("xsd:int");
        counts.minCount("2");

        assertNull(counts.build().datatypes());
        assertNull(row.build().minCount());
        assertEquals(ValueKind.PATH, counts.build().valueKind());
    }

    @Test
    void rowsThatSayTheSameAreEqual() {
        // OR branches merge by this equality: the rows but for their datatypes
        ConstraintRow a = ConstraintRow.of("urn:S").toBuilder().propertyPath("urn:p").datatypes("xsd:int").build();
        ConstraintRow b = ConstraintRow.of("urn:S").toBuilder().propertyPath("urn:p").datatypes("xsd:double").build();
        assertEquals(a.toBuilder().datatypes(null).build(), b.toBuilder().datatypes(null).build());
        assertEquals(ConstraintRow.NONE, new ConstraintRow.Builder().build());
    }

    @Test
    void aPropertyPairIsNamedByItsParameter() {
        assertEquals(PairKind.LESS_THAN_OR_EQUALS, PairKind.of("lessThanOrEquals"));
        for (PairKind kind : PairKind.values()) {
            assertEquals(kind, PairKind.of(kind.columnValue()));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PairKind.of("moreThan")).getMessage()
                .contains("moreThan"));
    }
}
