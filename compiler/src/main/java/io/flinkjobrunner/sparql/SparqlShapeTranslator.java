package io.flinkjobrunner.sparql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

import io.flinkjobrunner.compiler.CompilationException;
import io.flinkjobrunner.compiler.CoverageReport;
import io.flinkjobrunner.compiler.ShapeStatementTranslator;
import io.flinkjobrunner.compiler.SqlLiterals;
import io.flinkjobrunner.compiler.TableNames;
import io.flinkjobrunner.compiler.UnitStatement;

/**
 * Plugs the SPARQL constraints and rules into the SHACL compiler (found through {@link java.util.ServiceLoader}):
 * their INSERTs join the unit's statement set, the UDF registrations and the UTC session time zone join its
 * definitions, and every constraint and rule appears in the coverage report. A constraint or rule that cannot be
 * translated fails the compile with the shape, the query position and the reason.
 */
public final class SparqlShapeTranslator implements ShapeStatementTranslator {

    private static final IRI RULE = Values.iri(SHACL.NAMESPACE, "rule");

    @Override
    public Set<IRI> handles() {
        return Set.of(SHACL.SPARQL, RULE);
    }

    @Override
    public List<CoverageReport.Entry> coverage(Model shapes) {
        if (!present(shapes)) {
            return List.of();
        }
        return entries(new SparqlShapeCompiler(shapes, new LinkedHashModel(), TableNames.reference()).compile());
    }

    @Override
    public Translation translate(TranslationContext context) throws CompilationException {
        // Without sh:sparql and sh:rule there is nothing to do: the closed knowledge (a second copy of a large
        // knowledge graph) and the catalog of every attribute of the shapes (a fifth of a compile of 10,000 shapes)
        // are made only for them (docs/benchmarks.md, build speed)
        if (!present(context.shapes())) {
            return new Translation(List.of(), List.of(), List.of());
        }
        Model knowledge = context.closure().model();
        SparqlCompilation compilation = new SparqlShapeCompiler(context.shapes(), knowledge, context.tables()).compile();
        for (SparqlCoverage c : compilation.coverage()) {
            if (c.status() == SparqlCoverage.Status.REJECTED) {
                throw new CompilationException(c.shape(), c.detail());
            }
        }
        List<UnitStatement> definitions = new ArrayList<>();
        List<UnitStatement> inserts = new ArrayList<>();
        if (!compilation.statements().isEmpty()) {
            for (Map.Entry<String, String> setting : SparqlShapeCompiler.REQUIRED_SETTINGS.entrySet()) {
                definitions.add(new UnitStatement(UnitStatement.Kind.SET, "SET " + SqlLiterals.string(setting.getKey())
                        + " = " + SqlLiterals.string(setting.getValue()), null));
            }
            for (String ddl : SparqlShapeCompiler.FUNCTION_DDL) {
                definitions.add(new UnitStatement(UnitStatement.Kind.CREATE_FUNCTION, ddl, null));
            }
        }
        for (SparqlStatement statement : compilation.statements()) {
            inserts.add(new UnitStatement(UnitStatement.Kind.INSERT, statement.sql(), statement.shape()));
        }
        return new Translation(definitions, inserts, entries(compilation));
    }

    /** Whether the shapes graph has a constraint or rule this translator handles. */
    private boolean present(Model shapes) {
        return handles().stream().anyMatch(p -> shapes.contains(null, p, null));
    }

    private static List<CoverageReport.Entry> entries(SparqlCompilation compilation) {
        List<CoverageReport.Entry> entries = new ArrayList<>();
        for (SparqlCoverage c : compilation.coverage()) {
            String component = c.name().startsWith(SparqlShapeCompiler.RULE_COMPONENT) ? "sh:rule" : "sh:sparql";
            CoverageReport.Status status = switch (c.status()) {
                case COMPILED -> CoverageReport.Status.COMPILED;
                case REJECTED -> CoverageReport.Status.REJECTED;
                case SKIPPED -> CoverageReport.Status.IGNORED;
                case DEACTIVATED -> CoverageReport.Status.DEACTIVATED;
            };
            entries.add(new CoverageReport.Entry(c.shape(), component + " " + c.name(), status,
                    c.compiled() ? "" : c.detail()));
        }
        return entries;
    }
}
