package io.flinkjobrunner.sparql;

import java.util.regex.Pattern;

/**
 * The only way a string from a shape, a query or a message reaches the generated SQL: as a quoted literal or as a
 * validated identifier. Nothing else is ever spliced into SQL text.
 */
final class SqlText {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SqlText() {
    }

    /** A Flink SQL string literal: single quotes doubled; control characters cannot break out of a literal. */
    static String literal(String value) {
        if (value == null) {
            return "CAST(NULL AS STRING)";
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** A back-quoted identifier; only plain names are accepted, so a name can never close the quotes. */
    static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return "`" + name + "`";
    }

    /** True when {@code name} can be used as an identifier. */
    static boolean isIdentifier(String name) {
        return IDENTIFIER.matcher(name).matches();
    }
}
