package io.flinkjobrunner.settle;

/**
 * The names by which compiled SQL asks for the settled alert sink and for the sources that report their read progress
 * to it, without Flink on the class path: the compiler writes them, {@link SettledUpsertKafkaFactory} and
 * {@link ProgressSourceFactory} answer to them.
 */
public final class SettledSinkNames {

    /** The connector name in a {@code CREATE TABLE … WITH ('connector' = …)}. */
    public static final String IDENTIFIER = "settled-upsert-kafka";
    /** The option holding the settle window. */
    public static final String WINDOW_KEY = "settle.window";
    /** {@code kafka} as a source that reports its read progress as watermarks. */
    public static final String PROGRESS_KAFKA = "progress-kafka";
    /** {@code upsert-kafka} as a source that reports its read progress as watermarks. */
    public static final String PROGRESS_UPSERT_KAFKA = "progress-upsert-kafka";
    /** The job option setting how often a source reports its read progress. */
    public static final String PROGRESS_INTERVAL_KEY = "pipeline.auto-watermark-interval";

    private SettledSinkNames() {
    }
}
