package io.flinkjobrunner.settle;

/**
 * The names by which compiled SQL asks for the settled alert sink, without Flink on the class path: the compiler
 * writes them, {@link SettledUpsertKafkaFactory} answers to them.
 */
public final class SettledSinkNames {

    /** The connector name in a {@code CREATE TABLE … WITH ('connector' = …)}. */
    public static final String IDENTIFIER = "settled-upsert-kafka";
    /** The option holding the settle window. */
    public static final String WINDOW_KEY = "settle.window";

    private SettledSinkNames() {
    }
}
