package io.flinkjobrunner.compiler;

import java.util.List;
import java.util.Map;

/**
 * A compiled constraint before it is bound to a target: a single {@code constraint_table} row or a combination of
 * constraints. Knowledge-independent; the compiler instantiates it once per (inherited) target class or target node.
 */
sealed interface ConstraintExpr permits ConstraintExpr.Row, ConstraintExpr.Combination {

    /**
     * One row of {@code constraint_table}.
     *
     * @param fields column name to value (absent = NULL), without {@code id}/{@code targetClass}/{@code targetNode}
     */
    record Row(Map<String, String> fields) implements ConstraintExpr {
        public Row {
            fields = Map.copyOf(fields);
        }

        String get(String column) {
            return fields.get(column);
        }
    }

    /**
     * A logical combination: OR/AND/NOT/XONE of members, or the qualified count of values conforming to the members.
     *
     * @param operation the combination
     * @param members member constraints
     * @param explicit false for the implicit conjunction of a shape's constraints (published member by member at the
     *     top level), true for {@code sh:and}
     * @param fields row fields of the combination's own {@code constraint_table} row (shape, severity, message, path,
     *     qualified counts)
     */
    record Combination(Operation operation, List<ConstraintExpr> members, boolean explicit, Map<String, String> fields)
            implements ConstraintExpr {
        public Combination {
            members = List.copyOf(members);
            fields = Map.copyOf(fields);
        }
    }

    /** Combination operations, as written in {@code constraint_combination_table.operation}. */
    enum Operation {
        OR, AND, NOT, XONE, QUALIFIED
    }
}
