package io.flinkjobrunner.compiler;

import java.util.Objects;

/**
 * One statement of a deployment unit.
 *
 * @param kind what the statement does
 * @param sql the statement text, without the terminating semicolon
 * @param shape the shape the statement was compiled from, or {@code null} for the compiler's generic statements
 */
public record UnitStatement(Kind kind, String sql, String shape) {

    public UnitStatement {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
    }

    /** Statement kinds, in script order. */
    public enum Kind {
        SET, CREATE_TABLE, CREATE_FUNCTION, CREATE_VIEW, INSERT
    }
}
