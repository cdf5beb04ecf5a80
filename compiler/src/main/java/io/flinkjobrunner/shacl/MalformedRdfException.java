package io.flinkjobrunner.shacl;

import java.util.Objects;

import io.flinkjobrunner.rdf.RdfTerm;

/** An RDF structure SHACL gives a meaning to (a list, a property path) is not well-formed. */
public final class MalformedRdfException extends IllegalArgumentException {

    private final RdfTerm node;

    public MalformedRdfException(RdfTerm node, String message) {
        super(message);
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The node where the structure breaks. */
    public RdfTerm node() {
        return node;
    }
}
