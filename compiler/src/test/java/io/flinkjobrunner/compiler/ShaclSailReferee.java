package io.flinkjobrunner.compiler;

import io.flinkjobrunner.ngsild.NgsiLdVocabulary;
import io.flinkjobrunner.shacl.ShaclPath;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.rdf4j.common.exception.ValidationException;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.LinkedHashModel;
import org.eclipse.rdf4j.model.vocabulary.RDF4J;
import org.eclipse.rdf4j.model.vocabulary.SHACL;
import org.eclipse.rdf4j.query.BindingSet;
import org.eclipse.rdf4j.query.TupleQueryResult;
import org.eclipse.rdf4j.repository.RepositoryException;
import org.eclipse.rdf4j.repository.sail.SailRepository;
import org.eclipse.rdf4j.repository.sail.SailRepositoryConnection;
import org.eclipse.rdf4j.sail.memory.MemoryStore;
import org.eclipse.rdf4j.sail.shacl.ShaclSail;

/**
 * The batch referee of the differential tests: validates data (knowledge + NGSI-LD data as RDF) with RDF4J ShaclSail
 * and reduces the report to {@code "<entity> <component family>"} pairs comparable with streaming alerts.
 *
 * <p>Reductions, each a consequence of the NGSI-LD layer rather than a semantic choice: a result on an attribute
 * node (nested value shape) belongs to the entity that holds the attribute; min/max counts are one family
 * ({@code Count}, the reference's single Count event); {@code sh:class} on {@code ngsi-ld:hasValue} is family
 * {@code Datatype}, the event name the reference (and this compiler, for alert-key stability) uses for it; logical
 * components are {@code Or}, {@code And}, {@code Not}, {@code Xone} ({@code OR Constraint id N} and friends).
 *
 * <p>RDF4J 5.2's ShaclSail skips property shapes whose path uses {@code sh:zeroOrMorePath}, {@code sh:oneOrMorePath} or
 * {@code sh:zeroOrOnePath}. SHACL defines paths by SPARQL 1.1 property paths (SHACL 2.3.1), which RDF4J's SPARQL
 * engine does evaluate: the referee materializes such a path as a fresh predicate over the data (one triple per
 * (focus, value) pair the SPARQL path matches) and lets ShaclSail validate the shape through that predicate.
 */
final class ShaclSailReferee {

    private static final String SH = "http://www.w3.org/ns/shacl#";

    private ShaclSailReferee() {
    }

    static Set<String> violations(Model shapes, Model data) {
        Model rewrittenShapes = new LinkedHashModel(shapes);
        Model extendedData = new LinkedHashModel(data);
        materializeRepeatedPaths(rewrittenShapes, data, extendedData);
        ShaclSail sail = new ShaclSail(new MemoryStore());
        sail.setRdfsSubClassReasoning(true);
        SailRepository repository = new SailRepository(sail);
        Set<String> result = new TreeSet<>();
        try (SailRepositoryConnection connection = repository.getConnection()) {
            // one transaction: sh:targetNode focus nodes exist even in an empty store
            connection.begin();
            connection.add(rewrittenShapes, RDF4J.SHACL_SHAPE_GRAPH);
            connection.add(extendedData);
            try {
                connection.commit();
            } catch (RepositoryException e) {
                Throwable cause = e;
                while (cause != null && !(cause instanceof ValidationException)) {
                    cause = cause.getCause();
                }
                if (cause == null) {
                    throw e;
                }
                Model report = ((ValidationException) cause).validationReportAsModel();
                for (Resource r : report.filter(null, iri("focusNode"), null).subjects()) {
                    Value focus = report.filter(r, iri("focusNode"), null).objects().iterator().next();
                    IRI component = (IRI) report.filter(r, iri("sourceConstraintComponent"), null).objects()
                            .iterator().next();
                    Value path = report.filter(r, iri("resultPath"), null).objects().stream().findFirst().orElse(null);
                    result.add(entity(focus, data) + " " + family(component, path));
                }
                connection.rollback();
            }
        } finally {
            repository.shutDown();
        }
        return result;
    }

    /** Replaces every path with *, + or ? by a predicate holding the pairs the SPARQL property path matches. */
    private static void materializeRepeatedPaths(Model shapes, Model data, Model extended) {
        int n = 0;
        for (Statement st : List.copyOf(shapes.filter(null, SHACL.PATH, null))) {
            ShaclPath path = ShaclPath.fromRdf(shapes, st.getObject());
            if (path.evaluatedByRdf4j()) {
                continue;
            }
            IRI materialized = org.eclipse.rdf4j.model.impl.SimpleValueFactory.getInstance()
                    .createIRI("urn:fjr:test:path:" + n++);
            SailRepository repository = new SailRepository(new MemoryStore());
            try (SailRepositoryConnection connection = repository.getConnection()) {
                connection.add(data);
                try (TupleQueryResult result = connection.prepareTupleQuery(
                        "SELECT ?s ?o WHERE { ?s " + path.toSparql() + " ?o }").evaluate()) {
                    for (BindingSet b : result) {
                        if (b.getValue("s") instanceof Resource subject) {
                            extended.add(subject, materialized, b.getValue("o"));
                        }
                    }
                }
            } finally {
                repository.shutDown();
            }
            shapes.remove(st);
            shapes.add(st.getSubject(), SHACL.PATH, materialized);
        }
    }

    /** The entity (IRI) that holds {@code node}, walking up from attribute blank nodes. */
    private static String entity(Value node, Model data) {
        Value current = node;
        Set<Value> seen = new HashSet<>();
        while (!(current instanceof IRI) && seen.add(current)) {
            Value up = null;
            for (Statement st : data.filter(null, null, current)) {
                up = st.getSubject();
                break;
            }
            if (up == null) {
                break;
            }
            current = up;
        }
        return current.stringValue();
    }

    private static String family(IRI component, Value path) {
        String name = component.getLocalName().replace("ConstraintComponent", "");
        return switch (name) {
            case "MinCount", "MaxCount" -> "Count";
            case "Class" -> path != null && path.stringValue().equals(NgsiLdVocabulary.HAS_VALUE) ? "Datatype"
                    : "Class";
            default -> name;
        };
    }

    /** The family of a streaming alert event. */
    static String family(String event) {
        if (event.matches("[A-Z]+ Constraint id \\d+")) {
            String op = event.substring(0, event.indexOf(' '));
            return op.charAt(0) + op.substring(1).toLowerCase();
        }
        return event.substring(0, event.indexOf('(')).replace("ConstraintComponent", "");
    }

    private static IRI iri(String local) {
        return org.eclipse.rdf4j.model.impl.SimpleValueFactory.getInstance().createIRI(SH, local);
    }
}
