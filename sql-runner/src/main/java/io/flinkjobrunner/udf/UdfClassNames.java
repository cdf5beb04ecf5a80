package io.flinkjobrunner.udf;

/**
 * The class names compiled SQL registers its functions by ({@code CREATE TEMPORARY SYSTEM FUNCTION … AS '<class>'}),
 * as plain strings: the compiler writes them without Flink on its class path; the functions are loaded by the job.
 */
public final class UdfClassNames {

    /** {@link HashFunction}: {@code hash(...)}. */
    public static final String HASH = "io.flinkjobrunner.udf.HashFunction";
    /** {@link StateTimeFunction}: {@code statetime(...)}. */
    public static final String STATETIME = "io.flinkjobrunner.udf.StateTimeFunction";
    /** {@link LatestValueFunction}: {@code latest_value(...)}. */
    public static final String LATEST_VALUE = "io.flinkjobrunner.udf.LatestValueFunction";

    private UdfClassNames() {
    }
}
