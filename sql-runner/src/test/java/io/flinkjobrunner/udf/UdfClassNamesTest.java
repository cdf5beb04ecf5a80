package io.flinkjobrunner.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names the compiler writes into SQL are the functions' real class names. */
class UdfClassNamesTest {

    @Test
    void theNamesAreTheFunctionsClasses() {
        assertEquals(HashFunction.class.getName(), UdfClassNames.HASH);
        assertEquals(StateTimeFunction.class.getName(), UdfClassNames.STATETIME);
        assertEquals(LatestValueFunction.class.getName(), UdfClassNames.LATEST_VALUE);
    }
}
