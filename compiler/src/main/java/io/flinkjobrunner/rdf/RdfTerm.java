package io.flinkjobrunner.rdf;

import java.util.Objects;

import org.eclipse.rdf4j.model.BNode;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.ValueFactory;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An RDF term as a plain value, so reports can leave the RDF4J world.
 *
 * <p>Serialised with Jackson exactly like a term in the W3C "SPARQL 1.1 Query Results JSON Format" (§3.2.2):
 * {@code {"type":"uri","value":...}}, {@code {"type":"bnode","value":...}},
 * {@code {"type":"literal","value":...,"datatype":...}} or {@code {..., "xml:lang":...}}.
 */
public sealed interface RdfTerm permits RdfTerm.Iri, RdfTerm.BlankNode, RdfTerm.Literal {

    /** The IRI string, blank node id or literal lexical form. */
    String value();

    /** {@code uri}, {@code bnode} or {@code literal}, as in the SPARQL JSON results format. */
    @JsonProperty("type")
    String type();

    /** The term in N-Triples syntax, e.g. {@code <urn:a>}, {@code _:b0}, {@code "75"^^<...#integer>}. */
    String toNTriples();

    /** Converts an RDF4J value. */
    static RdfTerm of(Value value) {
        Objects.requireNonNull(value, "value");
        if (value instanceof IRI iri) {
            return new Iri(iri.stringValue());
        }
        if (value instanceof BNode node) {
            return new BlankNode(node.getID());
        }
        if (value instanceof org.eclipse.rdf4j.model.Literal literal) {
            return new Literal(literal.getLabel(), literal.getDatatype().stringValue(),
                    literal.getLanguage().orElse(null));
        }
        throw new IllegalArgumentException("not an RDF 1.1 term: " + value);
    }

    /** Converts back to an RDF4J value (blank nodes keep their id). */
    default Value toValue() {
        ValueFactory factory = SimpleValueFactory.getInstance();
        if (this instanceof Iri iri) {
            return factory.createIRI(iri.value());
        }
        if (this instanceof BlankNode node) {
            return factory.createBNode(node.value());
        }
        Literal literal = (Literal) this;
        return literal.language() != null
                ? factory.createLiteral(literal.value(), literal.language())
                : factory.createLiteral(literal.value(), factory.createIRI(literal.datatype()));
    }

    /** An IRI. */
    @JsonPropertyOrder({"type", "value"})
    record Iri(String value) implements RdfTerm {
        public Iri {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String type() {
            return "uri";
        }

        @Override
        public String toNTriples() {
            return "<" + value + ">";
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** A blank node, identified by its id within one model. */
    @JsonPropertyOrder({"type", "value"})
    record BlankNode(String value) implements RdfTerm {
        public BlankNode {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String type() {
            return "bnode";
        }

        @Override
        public String toNTriples() {
            return "_:" + value;
        }

        @Override
        public String toString() {
            return toNTriples();
        }
    }

    /** A literal; {@code language} is null unless the datatype is {@code rdf:langString}. */
    @JsonPropertyOrder({"type", "value", "datatype", "xml:lang"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Literal(
            String value,
            String datatype,
            @JsonProperty("xml:lang") String language) implements RdfTerm {
        public Literal {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(datatype, "datatype");
        }

        @Override
        public String type() {
            return "literal";
        }

        @Override
        public String toNTriples() {
            String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\r", "\\r") + "\"";
            if (language != null) {
                return quoted + "@" + language;
            }
            return datatype.equals("http://www.w3.org/2001/XMLSchema#string") ? quoted : quoted + "^^<" + datatype + ">";
        }

        @Override
        public String toString() {
            return toNTriples();
        }
    }
}
