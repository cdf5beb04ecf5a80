package io.flinkjobrunner.compiler;

import java.util.Objects;

/**
 * One target of a node shape (SHACL §2.1.3) that its constraints are bound to: each kind is a column of
 * {@code constraint_table}, and a row fills the one of its target.
 *
 * @param kind the kind of target
 * @param value the class IRI, the node id, or the predicate IRI
 */
record ShapeTarget(Kind kind, String value) {

    ShapeTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /** The kinds of target the compiler binds constraints to. */
    enum Kind {
        /** {@code sh:targetClass}, an implicit class target, or a subclass of either. */
        CLASS,
        /** {@code sh:targetNode}. */
        NODE,
        /** {@code sh:targetSubjectsOf}. */
        SUBJECTS_OF,
        /** {@code sh:targetObjectsOf}. */
        OBJECTS_OF
    }

    /** The value when this target is of {@code kind}, else null. */
    String valueOf(Kind of) {
        return kind == of ? value : null;
    }

    /** Whether the target nodes are the ends of edges with the predicate {@link #value}. */
    boolean byPredicate() {
        return kind == Kind.SUBJECTS_OF || kind == Kind.OBJECTS_OF;
    }
}
