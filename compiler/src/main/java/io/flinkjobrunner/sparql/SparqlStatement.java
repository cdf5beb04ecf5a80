package io.flinkjobrunner.sparql;

/**
 * One compiled statement of a SPARQL constraint or rule: a SELECT and the table it is inserted into.
 *
 * @param shape   the shape IRI (or {@code _:id} for a blank node) the statement was compiled from
 * @param name    the alert event ({@code SPARQLConstraintComponent(Name)}) or rule name ({@code SPARQLRule(Name)})
 * @param table   the sink table ({@code alerts_bulk} or {@code attributes_insert})
 * @param columns the sink columns, comma separated, in the order of the SELECT
 * @param query   the SELECT
 */
public record SparqlStatement(String shape, String name, String table, String columns, String query) {

    /** Whether the statement writes rule output (attributes) rather than alerts. */
    public boolean isRule() {
        return name.startsWith(SparqlShapeCompiler.RULE_COMPONENT + "(");
    }

    /** The Flink SQL INSERT statement, without a trailing semicolon. */
    public String sql() {
        return "INSERT INTO " + table + " (" + columns + ") " + query;
    }
}
