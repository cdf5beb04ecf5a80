package io.flinkjobrunner.sparql;

/**
 * A coverage-report entry for one SPARQL constraint or rule.
 *
 * @param shape    the shape IRI (or {@code _:id})
 * @param name     the event or rule name
 * @param compiled whether a statement was produced
 * @param detail   {@code compiled}, or the reason with the position in the query
 */
public record SparqlCoverage(String shape, String name, boolean compiled, String detail) {
}
