package io.flinkjobrunner.sparql;

import java.util.List;

/**
 * The result of compiling the SPARQL parts of a shapes graph.
 *
 * @param statements the INSERT statements, constraints first, in a stable order
 * @param coverage   one entry per constraint and rule, compiled or rejected
 */
public record SparqlCompilation(List<SparqlStatement> statements, List<SparqlCoverage> coverage) {

    public SparqlCompilation {
        statements = List.copyOf(statements);
        coverage = List.copyOf(coverage);
    }
}
