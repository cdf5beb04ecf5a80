package io.flinkjobrunner.shacl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.util.Models;
import org.eclipse.rdf4j.model.vocabulary.SHACL;

/** Reads the results out of a SHACL validation report graph (SHACL 3.6) as produced by RDF4J. */
final class ReportReader {

    /** One sh:ValidationResult, still in RDF4J terms. */
    record Entry(
            Value focusNode,
            Optional<ShaclPath> resultPath,
            Optional<Value> resultPathNode,
            Optional<Value> value,
            IRI sourceConstraintComponent,
            Resource sourceShape,
            IRI resultSeverity,
            List<Literal> messages) {
    }

    private ReportReader() {
    }

    static List<Entry> entries(Model report) {
        List<Entry> entries = new ArrayList<>();
        for (Resource result : report.filter(null, SHACL.RESULT, null).objects().stream()
                .filter(Resource.class::isInstance).map(Resource.class::cast).toList()) {
            Value focusNode = Models.object(report.filter(result, SHACL.FOCUS_NODE, null)).orElseThrow();
            Optional<Value> pathNode = Models.object(report.filter(result, SHACL.RESULT_PATH, null));
            Optional<ShaclPath> path = pathNode.flatMap(node -> {
                try {
                    return Optional.of(ShaclPath.fromRdf(report, node));
                } catch (MalformedRdfException e) {
                    return Optional.empty();
                }
            });
            Optional<Value> value = Models.object(report.filter(result, SHACL.VALUE, null));
            IRI component = Models.objectIRI(report.filter(result, SHACL.SOURCE_CONSTRAINT_COMPONENT, null))
                    .orElseThrow();
            Resource shape = Models.objectResource(report.filter(result, SHACL.SOURCE_SHAPE, null)).orElseThrow();
            IRI severity = Models.objectIRI(report.filter(result, SHACL.RESULT_SEVERITY, null))
                    .orElse(SHACL.VIOLATION);
            List<Literal> messages = report.filter(result, SHACL.RESULT_MESSAGE, null).objects().stream()
                    .filter(Literal.class::isInstance).map(Literal.class::cast)
                    .sorted(Comparator.comparing((Literal l) -> l.getLanguage().orElse(""))
                            .thenComparing(Literal::getLabel))
                    .toList();
            entries.add(new Entry(focusNode, path, pathNode, value, component, shape, severity, messages));
        }
        return entries;
    }

    /** The message to show: an untagged one, else English, else the first. */
    static Optional<String> preferredMessage(List<Literal> messages) {
        return messages.stream().filter(m -> m.getLanguage().isEmpty()).findFirst()
                .or(() -> messages.stream().filter(m -> m.getLanguage().orElse("").startsWith("en")).findFirst())
                .or(() -> messages.stream().findFirst())
                .map(Literal::getLabel);
    }
}
