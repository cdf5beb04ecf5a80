package io.flinkjobrunner.sparql;

/**
 * A coverage-report entry for one SPARQL constraint or rule.
 *
 * @param shape  the shape IRI (or {@code _:id})
 * @param name   the event or rule name
 * @param status what happened to it
 * @param detail {@code compiled}, or the reason (with the position in the query for translation failures)
 */
public record SparqlCoverage(String shape, String name, Status status, String detail) {

    /** What the compiler did with a constraint or rule. */
    public enum Status {
        /** Translated into a statement. */
        COMPILED,
        /** Cannot be translated: the compile fails. */
        REJECTED,
        /** Skipped on purpose, as the reference does (no sh:message): no statement, not an error. */
        SKIPPED,
        /** {@code sh:deactivated true}. */
        DEACTIVATED
    }

    /** Whether a statement was produced. */
    public boolean compiled() {
        return status == Status.COMPILED;
    }
}
