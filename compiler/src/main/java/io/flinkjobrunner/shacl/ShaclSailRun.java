package io.flinkjobrunner.shacl;

import java.util.Collection;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.rdf4j.common.transaction.IsolationLevels;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.model.vocabulary.RDF4J;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.repository.sail.SailRepository;
import org.eclipse.rdf4j.repository.sail.SailRepositoryConnection;
import org.eclipse.rdf4j.sail.memory.MemoryStore;
import org.eclipse.rdf4j.sail.shacl.ShaclSail;
import org.eclipse.rdf4j.sail.shacl.ShaclSailValidationException;

/**
 * One bulk validation with RDF4J's ShaclSail over an in-memory store: the only place that touches ShaclSail, so its
 * settings (RDFS subclass reasoning, result caps, no RDF4J/DASH extensions) are the same for every caller.
 */
final class ShaclSailRun {

    /** The report as RDF plus whether RDF4J hit a result cap. */
    record Report(Model model, boolean truncated) {
    }

    private static final Pattern THIS_VARIABLE = Pattern.compile("\\?this\\b");
    private static final ValueFactory VALUES = SimpleValueFactory.getInstance();

    private ShaclSailRun() {
    }

    /**
     * Validates the union of {@code data} against {@code shapes}. {@code rdfs:subClassOf} triples in the data are
     * used for {@code sh:targetClass} and {@code sh:class} (SHACL's "SHACL instance" definition).
     *
     * @param parallel validate shapes on several threads: worth it for large data, pure overhead for a shapes graph
     * @return empty if the data conforms, else RDF4J's validation report
     */
    static Optional<Report> validate(Model shapes, Collection<Model> data, ValidationLimits limits, boolean parallel) {
        ShaclSail sail = new ShaclSail(new MemoryStore());
        sail.setRdfsSubClassReasoning(true);
        sail.setEclipseRdf4jShaclExtensions(false);
        sail.setDashDataShapes(false);
        sail.setParallelValidation(parallel);
        sail.setValidationResultsLimitPerConstraint(limits.maxResultsPerConstraint());
        sail.setValidationResultsLimitTotal(limits.maxResultsTotal());
        SailRepository repository = new SailRepository(sail);
        repository.init();
        try (SailRepositoryConnection connection = repository.getConnection()) {
            connection.begin(IsolationLevels.NONE, ShaclSail.TransactionSettings.ValidationApproach.Disabled);
            for (Statement statement : shapes) {
                connection.add(statement.getSubject(), statement.getPredicate(), selectWithDollarThis(statement),
                        RDF4J.SHACL_SHAPE_GRAPH);
            }
            commitShapes(connection);
            connection.begin(IsolationLevels.NONE, ShaclSail.TransactionSettings.ValidationApproach.Bulk);
            for (Model part : data) {
                for (Statement statement : part) {
                    connection.add(statement.getSubject(), statement.getPredicate(), statement.getObject());
                }
            }
            try {
                connection.commit();
                return Optional.empty();
            } catch (RuntimeException e) {
                ShaclSailValidationException failure = validationFailure(e);
                if (failure == null) {
                    throw failed(e);
                }
                return Optional.of(new Report(failure.validationReportAsModel(),
                        failure.getValidationReport().isTruncated()));
            }
        } catch (RuntimeException e) {
            // RDF4J reports malformed shapes with unchecked exceptions of several (internal) types.
            throw failed(e);
        } finally {
            repository.shutDown();
        }
    }

    /**
     * RDF4J insists that an sh:select query contains the text {@code $this}, but in SPARQL {@code ?this} and
     * {@code $this} are the same variable and the IndustryFusion shapes use {@code ?this}. Rewriting the token keeps
     * the query's meaning and lets RDF4J run it.
     */
    private static Value selectWithDollarThis(Statement statement) {
        if (statement.getPredicate().equals(SHACL.SELECT) && statement.getObject() instanceof Literal query
                && !query.getLabel().contains("$this")) {
            String rewritten = THIS_VARIABLE.matcher(query.getLabel()).replaceAll(java.util.regex.Matcher
                    .quoteReplacement("$this"));
            return query.getLanguage().isPresent() ? VALUES.createLiteral(rewritten, query.getLanguage().get())
                    : VALUES.createLiteral(rewritten, query.getDatatype());
        }
        return statement.getObject();
    }

    private static void commitShapes(SailRepositoryConnection connection) {
        try {
            connection.commit();
        } catch (RuntimeException e) {
            throw new ShaclValidationException(ShaclValidationException.Reason.SHAPES_REJECTED,
                    "the SHACL engine rejected the shapes graph: " + rootMessage(e), e);
        }
    }

    private static ShaclSailValidationException validationFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShaclSailValidationException failure) {
                return failure;
            }
        }
        return null;
    }

    private static ShaclValidationException failed(RuntimeException e) {
        if (e instanceof ShaclValidationException known) {
            return known;
        }
        // RDF4J parses the shapes lazily, at the first validation, so malformed shapes surface here too.
        boolean shapes = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String type = cause.getClass().getName();
            shapes |= type.contains("ShaclShapeParsingException") || type.contains("ShaclUnsupportedException");
        }
        return shapes
                ? new ShaclValidationException(ShaclValidationException.Reason.SHAPES_REJECTED,
                        "the SHACL engine rejected the shapes graph: " + rootMessage(e), e)
                : new ShaclValidationException(ShaclValidationException.Reason.ENGINE_FAILURE,
                        "SHACL validation failed: " + rootMessage(e), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
