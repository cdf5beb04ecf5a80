package io.flinkjobrunner.rdf;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.rdf4j.model.Model;
import org.eclipse.rdf4j.model.Resource;

/**
 * A parsed RDF document: its triples and namespaces, and where each subject is written in the source text.
 *
 * <p>The positions let later checks (e.g. SHACL shapes-graph problems) point at {@code shapes.ttl:12:3} instead of an
 * anonymous blank node.
 *
 * @param fileName         display name of the source (never a URL with credentials)
 * @param model            the triples; namespaces declared in the document are set on the model
 * @param subjectPositions first position at which each subject appears, including {@code [ ... ]} blank nodes
 */
public record RdfDocument(String fileName, Model model, Map<Resource, SourcePosition> subjectPositions) {

    public RdfDocument {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(model, "model");
        // the reader's positions are already unmodifiable and computed on demand; a copy would compute them all
        subjectPositions = subjectPositions instanceof SubjectPositions ? subjectPositions
                : Map.copyOf(subjectPositions);
    }

    /** Where {@code subject} is first written, if it is a subject of this document. */
    public Optional<SourcePosition> positionOf(Resource subject) {
        return Optional.ofNullable(subjectPositions.get(subject));
    }

    /** {@code file:line:column} of {@code subject}, or just the file name if it has no position here. */
    public String locate(Resource subject) {
        return positionOf(subject).map(p -> fileName + ":" + p).orElse(fileName);
    }
}
