package io.flinkjobrunner.udf;

import java.nio.charset.StandardCharsets;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * The {@code hash} UDF: {@code hash(x) * 12} as in the reference's {@code flink_hash_v1.py}, but deterministic.
 *
 * <p>Integers hash exactly like CPython's {@code hash(int)} (the value reduced modulo the Mersenne prime 2^61-1, with
 * {@code -1} mapped to {@code -2}), so {@code hash(1) = 12} and {@code hash(0) = 0} as the reference's tests expect.
 * Doubles hash like CPython's {@code hash(float)} (integral doubles equal the integer hash). Python salts the hash of
 * strings per process, which makes the reference non-deterministic; here a string hashes to its 64-bit FNV-1a hash of
 * the UTF-8 bytes, reduced into the same range as integers, so every run and every task manager agrees. The product
 * wraps around on 64-bit overflow (Python would return a larger integer that does not fit into BIGINT).
 */
public final class HashFunction extends ScalarFunction {

    /** The SQL name the compiled unit registers this class under. */
    public static final String SQL_NAME = "hash";

    private static final long MODULUS = (1L << 61) - 1;
    private static final int MODULUS_BITS = 61;
    private static final long INFINITY_HASH = 314_159L;
    private static final long FACTOR = 12L;

    /** Hash of an integer, CPython-compatible. */
    public @DataTypeHint("BIGINT") Long eval(Long value) {
        return value == null ? null : pythonIntHash(value) * FACTOR;
    }

    /** Hash of an INT argument (widened to BIGINT). */
    public @DataTypeHint("BIGINT") Long eval(Integer value) {
        return value == null ? null : eval(value.longValue());
    }

    /** Hash of a double, CPython-compatible ({@code hash(1.0) == hash(1)}). */
    public @DataTypeHint("BIGINT") Long eval(Double value) {
        return value == null ? null : pythonFloatHash(value) * FACTOR;
    }

    /** Hash of a boolean ({@code hash(True) == 1}, as in Python). */
    public @DataTypeHint("BIGINT") Long eval(Boolean value) {
        return value == null ? null : (value ? 1L : 0L) * FACTOR;
    }

    /** Deterministic hash of a string (FNV-1a over UTF-8, reduced like an integer). */
    public @DataTypeHint("BIGINT") Long eval(String value) {
        if (value == null) {
            return null;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return pythonIntHash(h) * FACTOR;
    }

    @Override
    public boolean isDeterministic() {
        return true;
    }

    /** CPython {@code long_hash}: sign(x) * (|x| mod (2^61 - 1)), with -1 replaced by -2. */
    static long pythonIntHash(long value) {
        long magnitude = value == Long.MIN_VALUE
                ? Long.remainderUnsigned(Long.MIN_VALUE, MODULUS)
                : Math.abs(value) % MODULUS;
        long result = value < 0 ? -magnitude : magnitude;
        return result == -1 ? -2 : result;
    }

    /** CPython {@code _Py_HashDouble} for finite doubles, {@code 314159} for infinities and 0 for NaN. */
    static long pythonFloatHash(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? INFINITY_HASH : -INFINITY_HASH;
        }
        int sign = 1;
        double m = value;
        if (m < 0) {
            sign = -1;
            m = -m;
        }
        // frexp: m = mantissa * 2^exponent with 0.5 <= mantissa < 1
        int exponent = 0;
        if (m != 0) {
            exponent = Math.getExponent(m) + 1;
            m = Math.scalb(m, -exponent);
            while (m < 0.5) {
                // subnormal input: Math.getExponent reports the minimum exponent, normalise the mantissa
                m *= 2;
                exponent--;
            }
        }
        long x = 0;
        while (m != 0) {
            x = ((x << 28) & MODULUS) | (x >>> (MODULUS_BITS - 28));
            m *= 268_435_456.0; // 2^28
            exponent -= 28;
            long y = (long) m;
            m -= y;
            x += y;
            if (x >= MODULUS) {
                x -= MODULUS;
            }
        }
        int e = exponent >= 0 ? exponent % MODULUS_BITS : MODULUS_BITS - 1 - ((-1 - exponent) % MODULUS_BITS);
        x = ((x << e) & MODULUS) | (x >>> (MODULUS_BITS - e));
        x = x * sign;
        return x == -1 ? -2 : x;
    }
}
