package io.flinkjobrunner.compiler;

/** Quotes identifiers (table, view and column names) for Flink SQL. */
public final class SqlIdentifiers {

    private SqlIdentifiers() {
    }

    /** {@code name} in backticks, with embedded backticks doubled. */
    public static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("identifier must not be empty");
        }
        return "`" + name.replace("`", "``") + "`";
    }
}
