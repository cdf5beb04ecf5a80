package io.flinkjobrunner.shacl;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.flinkjobrunner.rdf.RdfTerm;

/**
 * One SHACL validation result (SHACL 3.6.2), with two additions for people: the IRI node the focus node belongs to,
 * and a readable label of the source shape.
 *
 * @param focusNode                 the node that was validated
 * @param rootNode                  the focus node if it is an IRI, else the IRI that reaches it through blank nodes
 *                                  (for NGSI-LD: the entity of an attribute node)
 * @param resultPath                the property path that was checked, or null for node-level constraints
 * @param value                     the offending value, or null (e.g. sh:minCount)
 * @param sourceConstraintComponent IRI of the constraint component, e.g. {@code sh:MinCountConstraintComponent}
 * @param sourceShape               the shape whose constraint failed
 * @param sourceShapeLabel          readable label of that shape, e.g. {@code ex:S / sh:property [sh:path ex:p]}
 * @param severity                  IRI of the shape's declared sh:severity (custom IRIs kept), default sh:Violation
 * @param message                   the shape's sh:message, or a description of what failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"focusNode", "rootNode", "resultPath", "value", "sourceConstraintComponent", "sourceShape",
    "sourceShapeLabel", "severity", "message"})
public record ValidationResult(
        RdfTerm focusNode,
        RdfTerm rootNode,
        ShaclPath resultPath,
        RdfTerm value,
        String sourceConstraintComponent,
        RdfTerm sourceShape,
        String sourceShapeLabel,
        String severity,
        String message) {

    public ValidationResult {
        Objects.requireNonNull(focusNode, "focusNode");
        Objects.requireNonNull(rootNode, "rootNode");
        Objects.requireNonNull(sourceConstraintComponent, "sourceConstraintComponent");
        Objects.requireNonNull(sourceShape, "sourceShape");
        Objects.requireNonNull(sourceShapeLabel, "sourceShapeLabel");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /** The severity level; custom severity IRIs rank as violations. */
    public Severity level() {
        return Severity.ofIri(severity);
    }
}
