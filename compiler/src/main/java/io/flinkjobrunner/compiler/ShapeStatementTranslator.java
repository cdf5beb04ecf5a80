package io.flinkjobrunner.compiler;

import java.util.List;
import java.util.Set;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;

/**
 * Extension point for shape constructs that compile to per-shape SQL instead of constraint rows ({@code sh:sparql}
 * constraints and {@code sh:rule}s). Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.flinkjobrunner.compiler.ShapeStatementTranslator}); their statements join the unit's
 * single statement set and their coverage entries join the unit's coverage report.
 */
public interface ShapeStatementTranslator {

    /** Node-shape predicates this translator compiles, e.g. {@code sh:sparql}; the core reader leaves them alone. */
    Set<IRI> handles();

    /** Coverage of the handled predicates, without compiling (used by {@link ShapeCoverage#analyze}). */
    List<CoverageReport.Entry> coverage(Model shapes);

    /**
     * Compiles the handled predicates.
     *
     * @throws CompilationException naming the shape that cannot be translated
     */
    Translation translate(TranslationContext context) throws CompilationException;

    /**
     * What the compiler needs to know to translate: the graphs, the knowledge closure and the table names.
     *
     * @param shapes the shapes graph
     * @param knowledge the knowledge graph as loaded (before closure)
     * @param closure the closed knowledge ({@code rdf} table contents, subclass lookups)
     * @param tables table and view names to use in statements
     */
    record TranslationContext(Model shapes, Model knowledge, KnowledgeClosure closure, TableNames tables) {
    }

    /**
     * Result of a translation.
     *
     * @param definitions statements placed before the statement set, e.g. {@code CREATE TEMPORARY FUNCTION} or views
     *     (deduplicated by text across translators)
     * @param inserts {@code INSERT INTO alerts_bulk|attributes_insert ...} statements, each with its shape
     * @param coverage coverage entries of the handled predicates
     */
    record Translation(List<UnitStatement> definitions, List<UnitStatement> inserts, List<CoverageReport.Entry> coverage) {
        public Translation {
            definitions = List.copyOf(definitions);
            inserts = List.copyOf(inserts);
            coverage = List.copyOf(coverage);
        }
    }
}
