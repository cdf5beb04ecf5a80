package io.flinkjobrunner.runner;

import java.util.List;
import java.util.Objects;

/**
 * One executable unit of a {@link SqlScript}.
 *
 * <p>{@link #number()} is the 1-based position in the script and {@link #line()} the line of its first token, so
 * errors can name the statement the way a reader of the script would find it.
 */
public sealed interface SqlStatement {

    /** 1-based position of the statement in the script. */
    int number();

    /** 1-based line of the statement's first token in the script. */
    int line();

    /** The statement text as written (leading comments and the terminating {@code ;} removed). */
    String text();

    /** First line of {@link #text()}, for error messages. */
    default String firstLine() {
        String text = text();
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    /** {@code SET 'key' = 'value'}: a configuration entry applied to the table environment. */
    record Set(int number, int line, String text, String key, String value) implements SqlStatement {
        public Set {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code RESET 'key'} (one entry) or {@code RESET} (every entry set by the script); {@code key} is null for all. */
    record Reset(int number, int line, String text, String key) implements SqlStatement {
    }

    /** Any other statement (DDL, a single DML statement, ...), executed as it is. */
    record Single(int number, int line, String text) implements SqlStatement {
    }

    /**
     * {@code EXECUTE STATEMENT SET BEGIN … END} (or the SQL client's {@code BEGIN STATEMENT SET; … END;}): all
     * inserts run as one Flink job.
     */
    record StatementSet(int number, int line, String text, List<Insert> inserts) implements SqlStatement {
        public StatementSet {
            inserts = List.copyOf(inserts);
            if (inserts.isEmpty()) {
                throw new IllegalArgumentException("a statement set needs at least one INSERT");
            }
        }
    }

    /** One INSERT inside a statement set, with its own line for error messages. */
    record Insert(int line, String text) {
    }
}
