package io.flinkjobrunner.compiler;

import java.util.List;
import java.util.Objects;

/**
 * A compiled constraint before it is bound to a target: a single {@code constraint_table} row or a combination of
 * constraints. Knowledge-independent; the compiler instantiates it once per target (inherited target class, target
 * node, or target predicate).
 *
 * <p>Every constraint knows where it is evaluated relative to its node shape's target node: {@link #focus()} (empty =
 * the target node itself; nested shapes such as {@code sh:node}, qualified value shapes and sub-attribute shapes sit
 * one segment deeper per level) and, for a property shape whose path is not a plain NGSI-LD attribute,
 * {@link #values()}: the path from the target node to its value nodes.
 */
sealed interface ConstraintExpr permits ConstraintExpr.Row, ConstraintExpr.Combination {

    /** Where the constraint is evaluated, relative to the target node. */
    FocusPath focus();

    /** The path to the value nodes (relative to the target node), or null when the values are found by attribute name. */
    FocusPath values();

    /** What the constraint's own {@code constraint_table} row says. */
    ConstraintRow fields();

    /** The same constraint seen from one nesting level further out: {@code segment} leads to its target node. */
    ConstraintExpr under(FocusPath.Segment segment);

    /**
     * One row of {@code constraint_table}.
     *
     * @param fields what the row says, all but its target and paths
     */
    record Row(ConstraintRow fields, FocusPath focus, FocusPath values) implements ConstraintExpr {
        public Row {
            Objects.requireNonNull(fields, "fields");
        }

        /** A row evaluated at the target node, its values found by attribute name. */
        Row(ConstraintRow fields) {
            this(fields, FocusPath.ROOT, null);
        }

        @Override
        public Row under(FocusPath.Segment segment) {
            return new Row(fields, focus.under(segment), values == null ? null : values.under(segment));
        }
    }

    /**
     * A logical combination: OR/AND/NOT/XONE of members, or the qualified count of values conforming to the members.
     *
     * @param operation the combination
     * @param members member constraints
     * @param explicit false for the implicit conjunction of a shape's constraints (published member by member at the
     *     top level), true for {@code sh:and}
     * @param fields what the combination's own {@code constraint_table} row says (shape, severity, message, path,
     *     qualified counts)
     * @param focus where the combination is evaluated
     * @param values for {@link Operation#QUALIFIED}: the focus path of the value nodes it counts (its members' focus)
     */
    record Combination(Operation operation, List<ConstraintExpr> members, boolean explicit, ConstraintRow fields,
            FocusPath focus, FocusPath values) implements ConstraintExpr {
        public Combination {
            members = List.copyOf(members);
            Objects.requireNonNull(fields, "fields");
        }

        /** A combination evaluated at the target node. */
        Combination(Operation operation, List<ConstraintExpr> members, boolean explicit, ConstraintRow fields) {
            this(operation, members, explicit, fields, FocusPath.ROOT, null);
        }

        @Override
        public Combination under(FocusPath.Segment segment) {
            return new Combination(operation, members.stream().map(m -> m.under(segment)).toList(), explicit, fields,
                    focus.under(segment), values == null ? null : values.under(segment));
        }
    }

    /**
     * Combination operations, as written in {@code constraint_combination_table.operation}. {@code NODE} is
     * {@code sh:node}: it fails when a member (a constraint of the referenced shape) fails.
     */
    enum Operation {
        OR, AND, NOT, XONE, QUALIFIED, NODE
    }
}
