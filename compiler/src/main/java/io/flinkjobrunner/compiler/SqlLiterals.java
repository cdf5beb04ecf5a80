package io.flinkjobrunner.compiler;

/**
 * The single escaping function for string values that reach generated Flink SQL text.
 *
 * <p>Flink SQL string literals are standard SQL: a quote is written as two quotes and a backslash has no special
 * meaning. Every other character, including newlines, comment markers ({@code --}, {@code /*}) and template braces,
 * is plain text inside a literal, so doubling quotes is the whole escape.
 */
public final class SqlLiterals {

    private SqlLiterals() {
    }

    /** {@code value} as a quoted SQL string literal, or {@code CAST(NULL AS STRING)} for {@code null}. */
    public static String string(String value) {
        if (value == null) {
            return "CAST(NULL AS STRING)";
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
