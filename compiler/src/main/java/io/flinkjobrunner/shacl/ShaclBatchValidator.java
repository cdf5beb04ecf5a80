package io.flinkjobrunner.shacl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.util.Values;
import org.eclipse.rdf4j.model.vocabulary.RDF;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

import io.flinkjobrunner.rdf.RdfDocument;
import io.flinkjobrunner.rdf.RdfTerm;

/**
 * Validates a data graph (e.g. an NGSI-LD model as RDF) against a shapes graph in one bulk pass with RDF4J's
 * ShaclSail, using the knowledge graph's {@code rdfs:subClassOf} triples so that {@code sh:targetClass} and
 * {@code sh:class} see subclasses.
 *
 * <p>RDF4J types stop here: the result is a {@link ValidationReport} of plain values. Where RDF4J 5.2 silently skips
 * part of the shapes graph (sh:xone, paths with *, + or ?, SHACL rules), the report lists it under
 * {@link ValidationReport#notValidated()} instead of letting "conforms" claim more than was checked. Run
 * {@link ShapesGraphChecker} first: an ill-formed shapes graph makes the engine refuse or misbehave.
 */
public final class ShaclBatchValidator {

    private static final int MAX_ROOT_DEPTH = 8;
    /** SHACL Advanced Features 8: sh:rule (RDF4J's vocabulary has no constant for it). */
    private static final IRI SHACL_RULE = Values.iri(SHACL.NAMESPACE, "rule");

    private ShaclBatchValidator() {
    }

    /** Validates with the default result caps (1,000 per constraint). */
    public static ValidationReport validate(Model data, Model shapes, Model knowledge) {
        return validate(data, shapes, knowledge, ValidationLimits.DEFAULT);
    }

    /**
     * Validates {@code data} together with {@code knowledge} against {@code shapes}.
     *
     * @throws ShaclValidationException if the engine rejects the shapes graph or fails
     */
    public static ValidationReport validate(Model data, Model shapes, Model knowledge, ValidationLimits limits) {
        List<NotValidated> notValidated = notValidated(shapes);
        Optional<ShaclSailRun.Report> raw = ShaclSailRun.validate(shapes, List.of(knowledge, data), limits, true);
        if (raw.isEmpty()) {
            return new ValidationReport(true, false, limits, List.of(), notValidated);
        }
        ShapeGraph shapeGraph = new ShapeGraph(new RdfDocument("shapes", shapes, Map.of()));
        ConstraintMessages messages = new ConstraintMessages(shapes);
        Set<ValidationResult> results = new LinkedHashSet<>();
        for (ReportReader.Entry entry : ReportReader.entries(raw.get().model())) {
            Resource shape = entry.sourceShape();
            String severity = Models.objectIRI(shapes.filter(shape, SHACL.SEVERITY_PROP, null))
                    .map(IRI::stringValue).orElse(entry.resultSeverity().stringValue());
            String message = ReportReader.preferredMessage(entry.messages()).orElseGet(() -> messages.describe(
                    entry.sourceConstraintComponent(), shape, entry.value(), entry.resultPath().orElse(null)));
            results.add(new ValidationResult(
                    RdfTerm.of(entry.focusNode()),
                    RdfTerm.of(rootNode(entry.focusNode(), data, knowledge)),
                    entry.resultPath().orElse(null),
                    entry.value().map(RdfTerm::of).orElse(null),
                    entry.sourceConstraintComponent().stringValue(),
                    RdfTerm.of(shape),
                    shapeGraph.label(shape),
                    severity,
                    message));
        }
        List<ValidationResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparing((ValidationResult r) -> r.rootNode().value())
                .thenComparing(r -> r.focusNode().toNTriples())
                .thenComparing(r -> r.resultPath() == null ? "" : r.resultPath().toSparql())
                .thenComparing(ValidationResult::sourceConstraintComponent)
                .thenComparing(r -> r.value() == null ? "" : r.value().toNTriples())
                .thenComparing(ValidationResult::sourceShapeLabel));
        return new ValidationReport(false, raw.get().truncated(), limits, ordered, notValidated);
    }

    /**
     * The nearest IRI that reaches {@code focus} through blank nodes (breadth-first over incoming triples), or the
     * focus node itself.
     */
    private static Value rootNode(Value focus, Model data, Model knowledge) {
        if (!(focus instanceof Resource start) || !start.isBNode()) {
            return focus;
        }
        Deque<Resource> queue = new ArrayDeque<>(List.of(start));
        Set<Resource> seen = new HashSet<>(queue);
        for (int depth = 0; depth < MAX_ROOT_DEPTH && !queue.isEmpty(); depth++) {
            Deque<Resource> next = new ArrayDeque<>();
            for (Resource node : queue) {
                for (Model graph : List.of(data, knowledge)) {
                    for (Resource subject : graph.filter(null, null, node).subjects()) {
                        if (subject.isIRI()) {
                            return subject;
                        }
                        if (seen.add(subject)) {
                            next.add(subject);
                        }
                    }
                }
            }
            queue = next;
        }
        return focus;
    }

    /** The parts of {@code shapes} RDF4J 5.2 does not evaluate (checked against its sources, see shacl docs). */
    static List<NotValidated> notValidated(Model shapes) {
        ShapeGraph graph = new ShapeGraph(new RdfDocument("shapes", shapes, Map.of()));
        List<NotValidated> gaps = new ArrayList<>();
        for (Statement statement : shapes.filter(null, SHACL.XONE, null)) {
            gaps.add(new NotValidated(graph.label(statement.getSubject()), "sh:xone",
                    "RDF4J 5.2 parses sh:xone but never evaluates it, so this constraint is not checked"));
        }
        for (Statement statement : shapes.filter(null, SHACL.PATH, null)) {
            try {
                ShaclPath path = ShaclPath.fromRdf(shapes, statement.getObject());
                if (!path.evaluatedByRdf4j()) {
                    gaps.add(new NotValidated(graph.label(statement.getSubject()), "property path " + path.toSparql(),
                            "RDF4J 5.2 ignores property shapes whose path uses sh:zeroOrMorePath, sh:oneOrMorePath"
                                    + " or sh:zeroOrOnePath, so this shape and everything nested in it is not checked"));
                }
            } catch (MalformedRdfException e) {
                gaps.add(new NotValidated(graph.label(statement.getSubject()), "sh:path",
                        "the path is malformed (" + e.getMessage() + "), so this shape is not checked"));
            }
        }
        for (Statement statement : shapes.filter(null, SHACL_RULE, null)) {
            gaps.add(new NotValidated(graph.label(statement.getSubject()), "sh:rule",
                    "SHACL rules are not applied before batch validation, so results that depend on inferred"
                            + " values may differ from the stream job, which applies them"));
        }
        for (Statement statement : shapes.filter(null, SHACL.TARGET_PROP, null)) {
            if (statement.getObject() instanceof Resource target
                    && shapes.contains(target, RDF.TYPE, SHACL.SPARQL_TARGET)) {
                continue; // RDF4J evaluates sh:SPARQLTarget; custom target types it ignores
            }
            gaps.add(new NotValidated(graph.label(statement.getSubject()), "sh:target",
                    "only sh:SPARQLTarget targets are evaluated; this custom target is ignored, so the shape may"
                            + " validate fewer nodes"));
        }
        return gaps.stream().distinct().toList();
    }
}
