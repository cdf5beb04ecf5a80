package io.flinkjobrunner.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HashFunctionTest {

    private final HashFunction hash = new HashFunction();

    @Test
    void integersHashLikeCPythonTimesTwelve() {
        // expected values computed with CPython 3: ctypes.c_int64(hash(v) * 12).value
        assertEquals(12L, hash.eval(1L));
        assertEquals(0L, hash.eval(0L));
        assertEquals(-24L, hash.eval(-1L));
        assertEquals(0L, hash.eval((1L << 61) - 1));
        assertEquals(12L, hash.eval(1L << 61));
        assertEquals(-24L, hash.eval(-(1L << 61)));
        assertEquals(36L, hash.eval(Long.MAX_VALUE));
        assertEquals(-48L, hash.eval(Long.MIN_VALUE));
        assertEquals(12L, hash.eval(Integer.valueOf(1)));
    }

    @Test
    void doublesHashLikeCPythonTimesTwelve() {
        assertEquals(12L, hash.eval(1.0));
        assertEquals(0L, hash.eval(0.0));
        assertEquals(-4611686018427387904L, hash.eval(0.5));
        assertEquals(-4611686018427387892L, hash.eval(1.5));
        assertEquals(4611686018427387904L, hash.eval(-0.5));
        assertEquals(3873816255479009316L, hash.eval(3.14));
        assertEquals(-3746800920640441648L, hash.eval(1e300));
        assertEquals(201326592L, hash.eval(Double.MIN_VALUE));
        assertEquals(7388518895188969188L, hash.eval(1e-310));
        assertEquals(3384977537646369536L, hash.eval(123456.789));
        assertEquals(4611686018427387880L, hash.eval(-2.5));
    }

    @Test
    void stringsHashDeterministically() {
        long first = hash.eval("urn:filter:1");
        assertEquals(first, new HashFunction().eval("urn:filter:1"));
        assertEquals(0L, first % 12);
        // FNV-1a 64 of the UTF-8 bytes, then CPython hash(int) * 12 (cross-checked in Python)
        assertEquals(7880912717163524928L, hash.eval("ON"));
    }

    @Test
    void booleansAndNulls() {
        assertEquals(12L, hash.eval(Boolean.TRUE));
        assertEquals(0L, hash.eval(Boolean.FALSE));
        assertNull(hash.eval((Long) null));
        assertNull(hash.eval((String) null));
        assertNull(hash.eval((Double) null));
    }
}
